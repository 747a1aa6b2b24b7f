package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;
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
        SplitData d = data.splits().get(split);
        if (d == null) throw new IllegalArgumentException("split not loaded: " + split);
        Formatter.Prepared prepared = formatter.prepare(data.task(), data.labels());
        List<Seq2SeqExample> out = new ArrayList<>();
        long truncated = 0;
        for (DialogueExample e : d.examples()) {
            if (limit >= 0 && out.size() >= limit) break;
            Instruction ins = instructions == null ? null : policy.choose(instructions, split, e.id());
            Formatter.Formatted f = formatter.format(prepared, split, e, ins);
            if (f.truncated()) truncated++;
            out.add(f.example());
        }
        return new ConvertedSplit(data.task().name(), split, out, d.counts(), truncated);
    }
}
