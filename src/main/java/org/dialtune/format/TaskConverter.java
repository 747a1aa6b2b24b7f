package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dialtune.task.DialogueExample;
import org.dialtune.task.SplitData;
import org.dialtune.task.TaskData;

/** Formats loaded task data with a formatter and an instruction policy: the task → format hand-over. */
public final class TaskConverter {
    private final Formatter formatter;
    private final InstructionPolicy policy;

    public TaskConverter(FormatterConfig config, InstructionPolicy policy) {
        this.formatter = new Formatter(config);
        this.policy = policy;
    }

    /** Formats the first {@code limit} examples (all when {@code limit} is negative) of a loaded split. */
    public ConvertedSplit convert(TaskData data, String split, InstructionSet instructions, int limit) {
        List<Seq2SeqExample> out = new ArrayList<>();
        long truncated = each(data, split, instructions, limit, out::add);
        return new ConvertedSplit(data.task().name(), split, out, data.splits().get(split).counts(), truncated);
    }

    /**
     * Streams the formatted examples of a loaded split to {@code sink} without keeping them, and returns
     * how many had their context truncated.
     */
    public long each(TaskData data, String split, InstructionSet instructions, int limit, Consumer<Seq2SeqExample> sink) {
        SplitData d = data.splits().get(split);
        if (d == null) throw new IllegalArgumentException("split not loaded: " + split);
        Formatter.Prepared prepared = formatter.prepare(data.task(), data.labels());
        long truncated = 0;
        int n = 0;
        for (DialogueExample e : d.examples()) {
            if (limit >= 0 && n >= limit) break;
            Instruction ins = instructions == null ? null : policy.choose(instructions, split, e.id());
            Formatter.Formatted f = formatter.format(prepared, split, e, ins);
            if (f.truncated()) truncated++;
            sink.accept(f.example());
            n++;
        }
        return truncated;
    }
}
