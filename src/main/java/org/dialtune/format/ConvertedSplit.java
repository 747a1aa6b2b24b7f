package org.dialtune.format;

import java.util.List;
import org.dialtune.task.SplitCounts;

/** The formatted examples of one split of one task, with the reading counts and how many contexts were cut. */
public record ConvertedSplit(String task, String split, List<Seq2SeqExample> examples, SplitCounts counts,
        long truncated) {
    public ConvertedSplit {
        examples = List.copyOf(examples);
    }
}
