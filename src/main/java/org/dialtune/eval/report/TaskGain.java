package org.dialtune.eval.report;

import org.dialtune.eval.stats.PairedComparison;

/**
 * A factor's effect on one task over its matched pairs: the paired comparison (mean without, mean
 * with, mean difference, its CI, p-value) and the relative gain in percent (NaN when the mean
 * without is 0, where a ratio means nothing).
 */
public record TaskGain(String task, String metric, PairedComparison comparison, double relativePercent) {
    /** {@code 100 × (mean with − mean without) / mean without}. */
    public static double relativePercent(double meanWithout, double meanWith) {
        return meanWithout == 0 ? Double.NaN : 100 * (meanWith - meanWithout) / meanWithout;
    }
}
