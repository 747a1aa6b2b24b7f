package org.dialtune.task;

import java.util.List;

/**
 * One split of a task: the data files (paths relative to the data directory; {@code *}, {@code **}
 * and {@code ?} globs allowed, matched files are read in sorted order), an optional records path that
 * overrides the task's, and a cap ({@code 0} = no cap).
 */
public record SplitSpec(String name, List<String> files, String records, int maxExamples) {
    public SplitSpec {
        files = List.copyOf(files);
    }
}
