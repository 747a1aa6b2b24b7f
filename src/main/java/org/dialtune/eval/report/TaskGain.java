package org.dialtune.eval.report;

import org.dialtune.eval.stats.PairedComparison;

/**
 * A factor's effect on one task: the paired comparison across the independent units that scored the
 * task, each unit's pairs of the task averaged first (mean without, mean with, mean difference, its
 * t-interval, p-value), and the relative gain in percent (NaN when the mean without is 0, where a
 * ratio means nothing).
 *
 * @param pairs matched pairs of rows behind the comparison (at least one per unit)
 */
public record TaskGain(String task, String metric, PairedComparison comparison, double relativePercent, int pairs) {
    /** {@code 100 × (mean with − mean without) / mean without}. */
    public static double relativePercent(double meanWithout, double meanWith) {
        return meanWithout == 0 ? Double.NaN : 100 * (meanWith - meanWithout) / meanWithout;
    }
}
