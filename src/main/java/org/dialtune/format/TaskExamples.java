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
 */
public final class TaskExamples {
    private final TaskRegistry tasks;
    private final InstructionLibrary instructions;
    private final Path dataDir;
    private final FormatterConfig config;
    private final Map<String, TaskData> loaded = new HashMap<>();

    public TaskExamples(TaskRegistry tasks, InstructionLibrary instructions, Path dataDir, FormatterConfig config) {
        this.tasks = tasks;
        this.instructions = instructions;
        this.dataDir = dataDir;
        this.config = config;
    }

    public Task task(String name) {
        return tasks.get(name);
    }

    public InstructionSet instructions(String task) {
        return instructions.forTask(task);
    }

    /** Every example of the split, formatted with the policy's instruction choice. */
    public List<Seq2SeqExample> examples(String taskName, String split, InstructionPolicy policy) {
        Task task = tasks.get(taskName);
        if (!task.splits().containsKey(split)) {
            throw new UserError(task.file() + ": task \"" + taskName + "\" has no split \"" + split + "\" (splits: "
                    + String.join(", ", task.splits().keySet()) + ")");
        }
        TaskData data = loaded.computeIfAbsent(taskName + "\u0000" + split, k -> TaskData.load(task, dataDir, List.of(split)));
        return new TaskConverter(config, policy).convert(data, split, instructions.forTask(taskName), -1).examples();
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
