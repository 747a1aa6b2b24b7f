package org.dialtune.eval.stats;

/**
 * Count, mean and sample standard deviation (n − 1 in the denominator, numpy's {@code ddof=1}).
 * The standard deviation of a single value is undefined: {@link #sampleStd} is then NaN and
 * {@link #hasStd} false, so a report prints "n/a" rather than a misleading 0.
 */
public record Descriptive(int n, double mean, double sampleStd) {
    public static Descriptive of(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no values to describe");
        double mean = mean(values);
        if (values.length == 1) return new Descriptive(1, mean, Double.NaN);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return new Descriptive(values.length, mean, Math.sqrt(ss / (values.length - 1)));
    }

    public boolean hasStd() {
        return n > 1;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("value " + v + " is not a finite number");
            sum += v;
        }
        return sum / values.length;
    }
}
