package org.dialtune.format;

import java.util.List;
import org.dialtune.task.SplitCounts;

/**
 * The formatted examples of one split of one task, with the reading counts, how many contexts were cut
 * to the character budgets and what fitting to the token budget took out.
 */
public record ConvertedSplit(String task, String split, List<Seq2SeqExample> examples, SplitCounts counts,
        long truncated, FitCounts fit) {
    public ConvertedSplit {
        examples = List.copyOf(examples);
    }
}
