package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;
import org.dialtune.task.DialogueExample;
import org.dialtune.task.LabelSet;
import org.dialtune.task.Task;

/**
 * Turns a dialogue example into a model-ready {@link Seq2SeqExample}. The source is
 * <pre>
 * Instruction: &lt;wording&gt;            (with an instruction; without one, {@code Task: <the task's tag>})
 * Input: [KNOWLEDGE] .. [PERSONA] .. [DOCUMENT] .. [CONTEXT] A: .. [EOT] B: .. [UTTERANCE] A: ..
 *        [RESPONSE] .. [QUESTION] .. [OPTIONS] a || b || c
 * </pre>
 * on two lines, sections in this fixed order and present only when the example has them. Whitespace
 * inside a section is collapsed to single spaces. The target is the answer template filled with the
 * gold answer; {@code options} are the templated options, so the target is always one of them.
 * The source comes with its {@link SourceParts}, from which {@link SourceFitter} fits it to a token budget.
 */
public final class Formatter {
    public static final String OPTION_SEPARATOR = " || ";

    /**
     * A formatted example, whether its context or a grounding text was cut to fit its character budget,
     * and its source in parts.
     */
    public record Formatted(Seq2SeqExample example, boolean truncated, SourceParts parts) {
        /** The same example with another source (a fitted one). */
        public Seq2SeqExample withSource(String source) {
            Seq2SeqExample e = example;
            return new Seq2SeqExample(e.task(), e.split(), e.id(), e.instructionId(), source, e.target(), e.options());
        }
    }

    private final ContextLinearizer linearizer;
    private final TextBudget grounding;

    public Formatter(FormatterConfig config) {
        this.linearizer = new ContextLinearizer(config);
        this.grounding = config.grounding();
    }

    /**
     * A task's answer side worked out once: with a label set, the shown options, the templated options
     * and the target of every label are the same for all examples (and shared, not copied per example).
     */
    public static final class Prepared {
        private final Task task;
        private final LabelSet labels;
        private final List<String> shown;
        private final List<String> options;

        private Prepared(Task task, LabelSet labels) {
            this.task = task;
            this.labels = labels;
            this.shown = labels == null ? List.of() : labels.options().stream().map(Formatter::clean).toList();
            this.options = shown.stream().map(task::fillTemplate).toList();
        }

        public Task task() {
            return task;
        }
    }

    public Prepared prepare(Task task, LabelSet labels) {
        return new Prepared(task, labels);
    }

    /** Convenience for one-off use; prefer {@link #prepare} once per task. */
    public Formatted format(Task task, LabelSet labels, String split, DialogueExample e, Instruction instruction) {
        return format(prepare(task, labels), split, e, instruction);
    }

    public Formatted format(Prepared p, String split, DialogueExample e, Instruction instruction) {
        Task task = p.task;
        List<String> shownOptions = List.of();
        List<String> options = List.of();
        String answer = e.target();
        if (task.isClassification()) {
            if (p.labels != null) {
                shownOptions = p.shown;
                options = p.options;
                answer = p.labels.verbal().get(e.target());
                if (answer == null) throw new IllegalStateException("label not in label set: " + e.target());
            } else {
                shownOptions = e.options().stream().map(Formatter::clean).toList();
                options = shownOptions.stream().map(task::fillTemplate).toList();
            }
        }
        String target = task.fillTemplate(clean(answer));
        if (task.isClassification() && !options.contains(target)) {
            throw new IllegalStateException("target not among options: " + target);
        }
        List<SourceParts.Grounding> grounding = new ArrayList<>();
        boolean truncated = grounded(grounding, "[KNOWLEDGE]", e.knowledge());
        truncated |= grounded(grounding, "[PERSONA]", e.persona());
        truncated |= grounded(grounding, "[DOCUMENT]", e.document());
        List<String> turns = List.of();
        int lastTurnPrefix = 0;
        if (!e.context().isEmpty()) {
            ContextLinearizer.Result ctx = linearizer.linearize(e.context());
            truncated |= ctx.truncated();
            turns = ctx.turns();
            String speaker = e.context().get(e.context().size() - 1).speaker();
            String prefix = speaker == null ? "" : clean(speaker) + ": ";
            if (turns.get(turns.size() - 1).startsWith(prefix)) lastTurnPrefix = prefix.length();
        }
        List<String> tail = new ArrayList<>();
        if (e.utterance() != null) tail.add("[UTTERANCE] " + ContextLinearizer.render(e.utterance()));
        section(tail, "[RESPONSE]", e.response());
        section(tail, "[QUESTION]", e.question());
        if (!shownOptions.isEmpty()) {
            tail.add("[OPTIONS] " + String.join(OPTION_SEPARATOR, shownOptions));
        }
        String head = (instruction == null ? "Task: " + clean(task.tag()) : "Instruction: " + clean(instruction.text()))
                + "\nInput:";
        SourceParts parts = new SourceParts(head, grounding, turns, lastTurnPrefix, tail);
        Seq2SeqExample out = new Seq2SeqExample(task.name(), split, e.id(), instruction == null ? null : instruction.id(),
                parts.render(), target, options);
        return new Formatted(out, truncated, parts);
    }

    /** Adds a grounding section cut to its budget; true if it was cut. */
    private boolean grounded(List<SourceParts.Grounding> sections, String marker, String text) {
        if (text == null || text.isBlank()) return false;
        String clean = clean(text);
        String kept = grounding.keepStart(clean);
        sections.add(new SourceParts.Grounding(marker, kept));
        return !kept.equals(clean);
    }

    private static void section(List<String> sections, String marker, String text) {
        if (text != null && !text.isBlank()) sections.add(marker + " " + clean(text));
    }

    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    /** Collapses all whitespace (newlines included) to single spaces. */
    public static String clean(String s) {
        return SPACES.matcher(s.strip()).replaceAll(" ");
    }
}
