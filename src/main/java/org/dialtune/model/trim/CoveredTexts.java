package org.dialtune.model.trim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.format.FormattedExamples;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.InstructionSet;
import org.dialtune.format.Instruction;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.SourceBudget;
import org.dialtune.format.TaskExamples;
import org.dialtune.format.TokenCounter;
import org.dialtune.task.Task;

/**
 * Every distinct text the chosen tasks' data can feed a model, made by the formatting path training and
 * evaluation use ({@link TaskExamples}): for every split and example, the source without an instruction
 * (the task tag) and with each of the task's wordings, as formatted and as fitted to each source budget
 * (the fitter's token counts are texts the model's tokenizer sees too, so they are covered as well), the
 * target and every answer option.
 */
public final class CoveredTexts {
    /** One task's examples per split (as read, before instructions multiply them) and rows its readers skipped. */
    public record TaskCoverage(String task, Map<String, Integer> examples, long skippedRows, int wordings) {
        public long records() {
            return examples.values().stream().mapToLong(Integer::longValue).sum();
        }

        public String describe() {
            List<String> parts = new ArrayList<>();
            examples.forEach((split, n) -> parts.add(split + " " + n));
            return task + ": " + records() + " examples (" + String.join(", ", parts) + "), " + wordings
                    + " instruction wordings + none" + (skippedRows > 0 ? "; " + skippedRows + " rows could not be"
                    + " converted (run 'dialtune tasks validate' for details)" : "");
        }
    }

    private final Set<String> texts;
    private final List<TaskCoverage> tasks;
    private final List<Integer> budgets;

    private CoveredTexts(Set<String> texts, List<TaskCoverage> tasks, List<Integer> budgets) {
        this.texts = texts;
        this.tasks = List.copyOf(tasks);
        this.budgets = List.copyOf(budgets);
    }

    /**
     * Collects the texts of {@code tasks} (all their splits) from {@code source}; sources are also fitted
     * to each of {@code budgets} tokens (capped by {@code maxPositions}) counted with {@code counter}.
     */
    public static CoveredTexts collect(TaskExamples source, List<Task> tasks, List<Integer> budgets, int maxPositions,
                                       TokenCounter counter) {
        Recording recording = new Recording(counter);
        Set<String> texts = recording.seen;
        List<Integer> caps = budgets.stream().map(b -> Math.min(b, maxPositions)).distinct().sorted().toList();
        List<TaskCoverage> out = new ArrayList<>();
        for (Task task : tasks) {
            InstructionSet wordings = source.instructions(task.name());
            List<InstructionPolicy> policies = new ArrayList<>();
            policies.add(InstructionPolicy.off());
            if (wordings != null) for (Instruction i : wordings.instructions()) policies.add(InstructionPolicy.fixed(i.id()));
            Map<String, Integer> examples = new LinkedHashMap<>();
            long skipped = 0;
            for (String split : splits(task)) {
                for (InstructionPolicy policy : policies) {
                    FormattedExamples formatted = source.formatted(task.name(), split, policy);
                    examples.putIfAbsent(split, formatted.examples().size());
                    for (Seq2SeqExample e : formatted.examples()) {
                        texts.add(e.source());
                        texts.add(e.target());
                        texts.addAll(e.options());
                    }
                    for (int budget : caps) {
                        for (Seq2SeqExample e : formatted.fitAll(new SourceBudget(recording, budget)).examples()) {
                            texts.add(e.source());
                        }
                    }
                }
                skipped += source.skipped(task.name(), split);
            }
            out.add(new TaskCoverage(task.name(), examples, skipped, policies.size() - 1));
        }
        return new CoveredTexts(texts, out, caps);
    }

    /**
     * A task's splits; a task with a test split but no train split also has the few-shot pool
     * {@link TaskExamples} sets aside from it, asked for as "train" (its "test" is then the rest).
     */
    private static List<String> splits(Task task) {
        List<String> splits = new ArrayList<>(task.splits().keySet());
        if (!splits.contains("train") && splits.contains("test")) splits.add(0, "train");
        return splits;
    }

    /** The distinct texts, in the order first met. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    public List<TaskCoverage> tasks() {
        return tasks;
    }

    /** The source budgets sources were fitted to (capped by the model's positions). */
    public List<Integer> budgets() {
        return budgets;
    }

    /** A counter that remembers every text it is asked about (and its count, so none is counted twice). */
    private static final class Recording implements TokenCounter {
        private final TokenCounter counter;
        private final Set<String> seen = new LinkedHashSet<>();
        private final Map<String, Integer> counts = new HashMap<>();

        Recording(TokenCounter counter) {
            this.counter = counter;
        }

        @Override
        public int[] textTokens(List<String> texts) {
            Set<String> unseen = new LinkedHashSet<>();
            for (String t : texts) if (!counts.containsKey(t)) unseen.add(t);
            List<String> fresh = List.copyOf(unseen);
            int[] n = counter.textTokens(fresh);
            for (int i = 0; i < n.length; i++) counts.put(fresh.get(i), n[i]);
            seen.addAll(texts);
            int[] out = new int[texts.size()];
            for (int i = 0; i < out.length; i++) out[i] = counts.get(texts.get(i));
            return out;
        }

        @Override
        public int specialTokenCount() {
            return counter.specialTokenCount();
        }

        @Override
        public boolean additive() {
            return counter.additive();
        }
    }
}
