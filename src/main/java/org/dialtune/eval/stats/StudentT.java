package org.dialtune.eval.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Student-t confidence interval of a mean: mean ± t(n − 1, (1 + level)/2) × sd / √n. Its coverage is
 * the stated level for normally distributed values at any n ≥ 2, which is what a report over 3 seeds
 * needs; a percentile bootstrap of 3 values can never leave their [min, max] and covers at most 75%.
 * With n = 2 the interval is honest but wide (t = 12.71 at 95%); one value has no interval.
 */
public final class StudentT {
    private StudentT() {}

    /** The interval, or {@code null} for fewer than two values (no spread to estimate). */
    public static Interval meanInterval(double[] values, double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        Descriptive d = Descriptive.of(values);
        if (!d.hasStd()) return null;
        double half = quantile((1 + level) / 2, d.n() - 1) * d.sampleStd() / Math.sqrt(d.n());
        return new Interval(d.mean() - half, d.mean() + half, level, d.n());
    }

    /** The {@code p} quantile of Student's t with {@code df} degrees of freedom (commons-math, no random generator). */
    public static double quantile(double p, int df) {
        return new TDistribution(null, df).inverseCumulativeProbability(p);
    }
}
