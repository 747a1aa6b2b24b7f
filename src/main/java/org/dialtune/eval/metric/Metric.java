package org.dialtune.eval.metric;

import java.util.List;

/**
 * An evaluation metric. Implementations are bound by name in {@code EvalModule}'s map binder, so a
 * module can add one without touching a switch; {@link Metrics} looks them up.
 */
public interface Metric {
    /** The registry name, e.g. {@code rouge_l}; what task files write in their {@code "metric"} field. */
    String name();

    /** Scores every example; throws {@link IllegalArgumentException} on an empty list. */
    MetricResult score(List<MetricExample> examples, MetricOptions options);
}
