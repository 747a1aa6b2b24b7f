package org.dialtune.eval.stats;

import java.util.SplittableRandom;

/**
 * Compares two conditions scored on the same independent items (e.g. with and without instructions,
 * one item per independent unit of training runs): the mean difference {@code b − a}, its Student-t
 * interval ({@code null} for a single item), and a two-sided sign-flip permutation p-value for "no
 * difference". The items must be independent: rows that share a trained model are averaged into one
 * item first (see {@code report.IndependentUnits}). The p-value is exact (all 2^n sign patterns) when
 * there are at most {@code maxExactItems} items, otherwise Monte Carlo over {@code resamples} random
 * sign patterns, counted as (hits + 1) / (resamples + 1) so it is never 0. The test assumes only that
 * a difference is as likely negative as positive when there is no effect; the interval also assumes
 * roughly normal differences, so with few items the two can disagree (3 items: p is at least 0.25).
 */
public record PairedComparison(
        int n, double meanA, double meanB, double meanDifference, Interval differenceInterval,
        double pValue, String pValueMethod) {
    public static final int DEFAULT_MAX_EXACT_ITEMS = 20;

    public static PairedComparison of(double[] a, double[] b, StatsConfig config) {
        return of(a, b, config, DEFAULT_MAX_EXACT_ITEMS);
    }

    public static PairedComparison of(double[] a, double[] b, StatsConfig config, int maxExactItems) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired comparison needs matched items: " + a.length + " vs " + b.length);
        }
        if (a.length == 0) throw new IllegalArgumentException("no items to compare");
        if (maxExactItems > 30) throw new IllegalArgumentException("exact enumeration is limited to 30 items");
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = b[i] - a[i];
        Interval ci = StudentT.meanInterval(d, config.level());
        boolean exact = d.length <= maxExactItems;
        double p = exact ? exactSignFlipP(d) : monteCarloSignFlipP(d, config);
        String method = exact ? "exact sign-flip (" + (1L << d.length) + " patterns)"
                : "Monte-Carlo sign-flip (" + config.resamples() + " resamples, seed " + config.seed() + ")";
        return new PairedComparison(d.length, Descriptive.mean(a), Descriptive.mean(b), Descriptive.mean(d), ci, p, method);
    }

    /** Sums stand in for means (same n); the tolerance keeps ties from being lost to rounding. */
    private static double tolerance(double[] d) {
        double abs = 0;
        for (double x : d) abs += Math.abs(x);
        return 1e-9 * abs;
    }

    private static double sum(double[] d) {
        double s = 0;
        for (double x : d) s += x;
        return s;
    }

    static double exactSignFlipP(double[] d) {
        double threshold = Math.abs(sum(d)) - tolerance(d);
        long patterns = 1L << d.length;
        long hits = 0;
        for (long mask = 0; mask < patterns; mask++) {
            double s = 0;
            for (int i = 0; i < d.length; i++) s += ((mask >>> i) & 1) == 0 ? d[i] : -d[i];
            if (Math.abs(s) >= threshold) hits++;
        }
        return (double) hits / patterns;
    }

    static double monteCarloSignFlipP(double[] d, StatsConfig config) {
        double threshold = Math.abs(sum(d)) - tolerance(d);
        SplittableRandom rng = new SplittableRandom(config.seed());
        long hits = 0;
        for (int r = 0; r < config.resamples(); r++) {
            double s = 0;
            for (double x : d) s += rng.nextBoolean() ? x : -x;
            if (Math.abs(s) >= threshold) hits++;
        }
        return (hits + 1.0) / (config.resamples() + 1.0);
    }
}
