package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dialtune.task.DialogueExample;
import org.dialtune.task.SplitData;
import org.dialtune.task.TaskData;

/**
 * Formats loaded task data with a formatter and an instruction policy, and fits the sources to a
 * token budget when one is given: the task → format hand-over.
 */
public final class TaskConverter {
    /** Examples fitted together: the tokenizer counts a batch of texts at once. */
    private static final int CHUNK = 512;

    private final Formatter formatter;
    private final InstructionPolicy policy;
    private final SourceFitter fitter;

    public TaskConverter(FormatterConfig config, InstructionPolicy policy) {
        this(config, policy, SourceBudget.unlimited());
    }

    public TaskConverter(FormatterConfig config, InstructionPolicy policy, SourceBudget budget) {
        this.formatter = new Formatter(config);
        this.policy = policy;
        this.fitter = new SourceFitter(budget);
    }

    /** How many examples had their context or grounding cut to the character budgets, and what token fitting took out. */
    public record Totals(long truncated, FitCounts fit) {}

    /** Formats the first {@code limit} examples (all when {@code limit} is negative) of a loaded split. */
    public ConvertedSplit convert(TaskData data, String split, InstructionSet instructions, int limit) {
        List<Seq2SeqExample> out = new ArrayList<>();
        Totals t = each(data, split, instructions, limit, out::add);
        return new ConvertedSplit(data.task().name(), split, out, data.splits().get(split).counts(), t.truncated(), t.fit());
    }

    /** Streams the formatted (and fitted) examples of a loaded split to {@code sink} without keeping them all. */
    public Totals each(TaskData data, String split, InstructionSet instructions, int limit, Consumer<Seq2SeqExample> sink) {
        List<Formatter.Formatted> chunk = new ArrayList<>(CHUNK);
        long truncated = 0;
        FitCounts fit = FitCounts.none(fitter.budget().maxTokens());
        int n = 0;
        SplitData d = splitData(data, split);
        Formatter.Prepared prepared = formatter.prepare(data.task(), data.labels());
        for (DialogueExample e : d.examples()) {
            if (limit >= 0 && n >= limit) break;
            Formatter.Formatted f = format(prepared, split, e, instructions);
            if (f.truncated()) truncated++;
            chunk.add(f);
            n++;
            if (chunk.size() == CHUNK) fit = fit.plus(flush(chunk, sink));
        }
        fit = fit.plus(flush(chunk, sink));
        return new Totals(truncated, fit);
    }

    /** Every example of a loaded split formatted, not yet fitted (see {@link FittedExamples}). */
    public List<Formatter.Formatted> formatAll(TaskData data, String split, InstructionSet instructions) {
        Formatter.Prepared prepared = formatter.prepare(data.task(), data.labels());
        List<Formatter.Formatted> out = new ArrayList<>();
        for (DialogueExample e : splitData(data, split).examples()) out.add(format(prepared, split, e, instructions));
        return out;
    }

    public SourceFitter fitter() {
        return fitter;
    }

    private Formatter.Formatted format(Formatter.Prepared prepared, String split, DialogueExample e, InstructionSet instructions) {
        Instruction ins = instructions == null ? null : policy.choose(instructions, split, e.id());
        return formatter.format(prepared, split, e, ins);
    }

    private FitCounts flush(List<Formatter.Formatted> chunk, Consumer<Seq2SeqExample> sink) {
        FittedExamples fitted = FittedExamples.fit(chunk, fitter);
        fitted.examples().forEach(sink);
        chunk.clear();
        return fitted.counts();
    }

    private static SplitData splitData(TaskData data, String split) {
        SplitData d = data.splits().get(split);
        if (d == null) throw new IllegalArgumentException("split not loaded: " + split);
        return d;
    }
}
