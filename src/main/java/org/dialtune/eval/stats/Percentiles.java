package org.dialtune.eval.stats;

/** Percentiles of sorted data the way numpy's default ({@code method="linear"}) computes them. */
public final class Percentiles {
    private Percentiles() {}

    /** {@code percent} in [0, 100]; {@code sorted} ascending and not empty. */
    public static double linear(double[] sorted, double percent) {
        if (sorted.length == 0) throw new IllegalArgumentException("no values");
        if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("percentile " + percent + " outside 0..100");
        double index = (percent / 100) * (sorted.length - 1);
        int lo = (int) Math.floor(index);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double t = index - lo;
        double a = sorted[lo];
        double b = sorted[hi];
        double diff = b - a;
        // numpy's _lerp: interpolate from the nearer end, which keeps the result monotone in t
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
