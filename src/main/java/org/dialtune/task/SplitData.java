package org.dialtune.task;

import java.util.List;

/** The examples of one split of one task, with the counts that explain how they were obtained. */
public record SplitData(String task, String split, List<DialogueExample> examples, SplitCounts counts) {
    public SplitData {
        examples = List.copyOf(examples);
    }
}
