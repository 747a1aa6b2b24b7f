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
 *
 * <p>With a tokenizer whose tokens of a text cut before a space that follows a non-space add up to
 * the whole's ({@link TokenCounter#additive}: byte-level BPE, BART's), texts are kept as those pieces:
 * the ids of every text are its pieces' ids in order, for the original and for the trimmed tokenizer
 * alike (same pre-tokenizer), so covering and checking the distinct pieces covers and checks every text.
 * A task's sources repeat the same words across wordings, budgets and examples: clinc150's 8,000
 * examples give about 140,000 distinct sources of ~600 tokens, but only tens of thousands of pieces.
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

    private final Texts texts;
    private final List<TaskCoverage> tasks;
    private final List<Integer> budgets;

    private CoveredTexts(Texts texts, List<TaskCoverage> tasks, List<Integer> budgets) {
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
        Texts texts = recording.seen;
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

    /** The distinct texts (or, with an additive tokenizer, the distinct pieces of the texts), in the order first met. */
    public List<String> texts() {
        return List.copyOf(texts.distinct);
    }

    /** Whether {@link #texts} are pieces of the covered texts rather than whole texts. */
    public boolean pieces() {
        return texts.split;
    }

    /** The distinct texts met, or their distinct pieces when the tokenizer is additive. */
    private static final class Texts {
        private final boolean split;
        private final Set<String> distinct = new LinkedHashSet<>();

        Texts(boolean split) {
            this.split = split;
        }

        void add(String text) {
            if (!split) {
                distinct.add(text);
                return;
            }
            int from = 0;
            for (int i = 1; i < text.length(); i++) {
                if (text.charAt(i) == ' ' && !Character.isWhitespace(text.charAt(i - 1))) {
                    distinct.add(text.substring(from, i));
                    from = i;
                }
            }
            distinct.add(text.substring(from));
        }

        void addAll(java.util.Collection<String> all) {
            all.forEach(this::add);
        }
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
        /** Counts remembered at most (parts repeat across wordings and budgets); more are forgotten at once. */
        private static final int REMEMBERED = 200_000;
        private final TokenCounter counter;
        private final Texts seen;
        private final Map<String, Integer> counts = new HashMap<>();

        Recording(TokenCounter counter) {
            this.counter = counter;
            this.seen = new Texts(counter.additive());
        }

        @Override
        public int[] textTokens(List<String> texts) {
            Set<String> unseen = new LinkedHashSet<>();
            for (String t : texts) if (!counts.containsKey(t)) unseen.add(t);
            List<String> fresh = List.copyOf(unseen);
            int[] n = counter.textTokens(fresh);
            Map<String, Integer> now = new HashMap<>();
            for (int i = 0; i < n.length; i++) now.put(fresh.get(i), n[i]);
            int[] out = new int[texts.size()];
            for (int i = 0; i < out.length; i++) {
                Integer c = counts.get(texts.get(i));
                out[i] = c != null ? c : now.get(texts.get(i));
            }
            seen.addAll(texts);
            if (counts.size() + now.size() > REMEMBERED) counts.clear();
            counts.putAll(now);
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
