package org.dialtune.eval.metric;

import java.util.Set;

/** One example's value (F-measure, or 1/0 for accuracy) and what was notable about it (e.g. "out_of_label"). */
public record ExampleScore(String id, double value, Set<String> flags) {
    public ExampleScore {
        flags = Set.copyOf(flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
