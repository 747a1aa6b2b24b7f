package org.dialtune.format;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.UserError;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskRegistry;

/**
 * Seq2seq examples of any task and split on demand, for training, evaluation and experiments. Each
 * (task, split) is read from disk once per instance; rows that could not be converted were counted
 * by the reader and are reported through {@link #skipped}.
 *
 * <p>A task with a test split but no train split (e.g. a small labelled sample) still supports few-shot
 * runs: a fixed, seeded part of its test examples ({@link #RESERVED_FOR_TRAINING}, at most two thirds)
 * serves as its "train" split and the rest as its "test" split — the same for every condition, so
 * zero-shot and few-shot scores are computed on the same examples. A one-line note says so.
 */
public final class TaskExamples {
    private final TaskRegistry tasks;
    private final InstructionLibrary instructions;
    private final Path dataDir;
    private final FormatterConfig config;
    private final Map<String, TaskData> loaded = new HashMap<>();
    private final java.util.Set<String> noted = new java.util.HashSet<>();

    /** Test examples set aside as the few-shot pool of a task without a train split. */
    public static final int RESERVED_FOR_TRAINING = 200;

    public TaskExamples(TaskRegistry tasks, InstructionLibrary instructions, Path dataDir, FormatterConfig config) {
        this.tasks = tasks;
        this.instructions = instructions;
        this.dataDir = dataDir;
        this.config = config;
    }

    public Task task(String name) {
        return tasks.get(name);
    }

    /** A zero-shot split file, checked against these tasks. */
    public org.dialtune.task.ZeroShotSplit split(Path file) {
        return org.dialtune.task.ZeroShotSplit.load(file, tasks);
    }

    public InstructionSet instructions(String task) {
        return instructions.forTask(task);
    }

    /** Every example of the split, formatted with the policy's instruction choice (sources not fitted to a budget). */
    public List<Seq2SeqExample> examples(String taskName, String split, InstructionPolicy policy) {
        return examples(taskName, split, policy, SourceBudget.unlimited()).examples();
    }

    /**
     * Every example of the split, formatted with the policy's instruction choice, each source fitted to
     * {@code budget} (what a model reads: see {@link SourceFitter}), with what the fitting took out.
     */
    public FittedExamples examples(String taskName, String split, InstructionPolicy policy, SourceBudget budget) {
        return formatted(taskName, split, policy).fitAll(budget);
    }

    /**
     * Every example of the split, formatted with the policy's instruction choice, to be fitted to a token
     * budget once chosen (a few-shot sample or an evaluation subset need not fit the whole split).
     */
    public FormattedExamples formatted(String taskName, String split, InstructionPolicy policy) {
        Task task = tasks.get(taskName);
        boolean derived = !task.splits().containsKey("train") && task.splits().containsKey("test")
                && (split.equals("train") || split.equals("test"));
        TaskConverter converter = new TaskConverter(config, policy);
        if (derived) return new FormattedExamples(derivedSplit(task, split, converter));
        if (!task.splits().containsKey(split)) {
            throw new UserError(task.file() + ": task \"" + taskName + "\" has no split \"" + split + "\" (splits: "
                    + String.join(", ", task.splits().keySet()) + ")");
        }
        return new FormattedExamples(convert(task, split, converter));
    }

    private List<Formatter.Formatted> derivedSplit(Task task, String split, TaskConverter converter) {
        List<Formatter.Formatted> all = new java.util.ArrayList<>(convert(task, "test", converter));
        java.util.Collections.shuffle(all, new java.util.Random(0x7E57L));
        int reserved = Math.min(RESERVED_FOR_TRAINING, all.size() * 2 / 3);
        if (noted.add(task.name())) {
            System.err.println("dialtune: note: task " + task.name() + " has no train split: " + reserved + " of its "
                    + all.size() + " test examples are its few-shot pool, the other " + (all.size() - reserved)
                    + " are evaluated (the same in every condition)");
        }
        return List.copyOf(split.equals("train") ? all.subList(0, reserved) : all.subList(reserved, all.size()));
    }

    private List<Formatter.Formatted> convert(Task task, String split, TaskConverter converter) {
        TaskData data = loaded.computeIfAbsent(task.name() + "\u0000" + split, k -> TaskData.load(task, dataDir, List.of(split)));
        return converter.formatAll(data, split, instructions.forTask(task.name()));
    }

    /** Rows of the split that could not be converted (already loaded splits only). */
    public long skipped(String taskName, String split) {
        TaskData d = loaded.get(taskName + "\u0000" + split);
        return d == null ? 0 : d.splits().get(split).counts().skipped();
    }

    /**
     * Parses an instruction mode as stage and experiment files write it: {@code on} (a wording drawn
     * per example with the seed), {@code off}, or {@code fixed:ID}.
     */
    public static InstructionPolicy policy(String mode, long seed, String where) {
        if (mode.equals("on")) return InstructionPolicy.sampled(seed);
        if (mode.equals("off")) return InstructionPolicy.off();
        if (mode.startsWith("fixed:") && mode.length() > 6) return InstructionPolicy.fixed(mode.substring(6));
        throw new UserError(where + ": instruction mode \"" + mode + "\" is not on, off or fixed:ID");
    }
}
