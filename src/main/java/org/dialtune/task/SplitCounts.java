package org.dialtune.task;

import java.util.List;

/**
 * What happened to one split's data: records read from the files, candidate examples, examples
 * removed by the task's own filters ({@code where}, {@code each_turn} limits), rows that could not be
 * converted ({@code skipped}, with the first few reasons), examples left out by {@code max_examples},
 * and the examples kept.
 */
public record SplitCounts(long records, long candidates, long filtered, long skipped, long capped, long kept,
        List<String> firstProblems) {
    public SplitCounts {
        firstProblems = List.copyOf(firstProblems);
    }
}
