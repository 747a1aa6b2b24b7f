package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;
import org.dialtune.task.DialogueExample;
import org.dialtune.task.LabelSet;
import org.dialtune.task.Task;

/**
 * Turns a dialogue example into a model-ready {@link Seq2SeqExample}. The source is
 * <pre>
 * Instruction: &lt;wording&gt;            (only when an instruction is given)
 * Input: [KNOWLEDGE] .. [PERSONA] .. [DOCUMENT] .. [CONTEXT] A: .. [EOT] B: .. [UTTERANCE] A: ..
 *        [RESPONSE] .. [QUESTION] .. [OPTIONS] a || b || c
 * </pre>
 * on two lines, sections in this fixed order and present only when the example has them. Whitespace
 * inside a section is collapsed to single spaces. The target is the answer template filled with the
 * gold answer; {@code options} are the templated options, so the target is always one of them.
 */
public final class Formatter {
    public static final String OPTION_SEPARATOR = " || ";

    /** A formatted example and whether its context or a grounding text was cut to fit its budget. */
    public record Formatted(Seq2SeqExample example, boolean truncated) {}

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
        List<String> sections = new ArrayList<>();
        boolean truncated = grounded(sections, "[KNOWLEDGE]", e.knowledge());
        truncated |= grounded(sections, "[PERSONA]", e.persona());
        truncated |= grounded(sections, "[DOCUMENT]", e.document());
        if (!e.context().isEmpty()) {
            ContextLinearizer.Result ctx = linearizer.linearize(e.context());
            truncated |= ctx.truncated();
            sections.add("[CONTEXT] " + ctx.text());
        }
        if (e.utterance() != null) sections.add("[UTTERANCE] " + ContextLinearizer.render(e.utterance()));
        section(sections, "[RESPONSE]", e.response());
        section(sections, "[QUESTION]", e.question());
        if (!shownOptions.isEmpty()) {
            sections.add("[OPTIONS] " + String.join(OPTION_SEPARATOR, shownOptions));
        }
        String input = "Input: " + String.join(" ", sections);
        String source = instruction == null ? input : "Instruction: " + clean(instruction.text()) + "\n" + input;
        Seq2SeqExample out = new Seq2SeqExample(task.name(), split, e.id(), instruction == null ? null : instruction.id(),
                source, target, options);
        return new Formatted(out, truncated);
    }

    /** Adds a grounding section cut to its budget; true if it was cut. */
    private boolean grounded(List<String> sections, String marker, String text) {
        if (text == null || text.isBlank()) return false;
        String clean = clean(text);
        String kept = grounding.keepStart(clean);
        sections.add(marker + " " + kept);
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
