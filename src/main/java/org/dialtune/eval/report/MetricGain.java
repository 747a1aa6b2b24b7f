package org.dialtune.eval.report;

import org.dialtune.eval.stats.PairedComparison;

/**
 * A factor's absolute gain on the tasks of one metric: each unit's pairs of that metric averaged, then
 * compared across units. Metrics are kept apart because accuracy and Rouge-L points are not the same unit.
 */
public record MetricGain(String metric, PairedComparison comparison, int tasks, int pairs) {}
