package org.dialtune.eval.stats;

/**
 * How to resample: the number of bootstrap (and Monte-Carlo permutation) resamples, the seed that
 * makes them reproducible, and the confidence level of percentile intervals.
 */
public record BootstrapConfig(int resamples, long seed, double level) {
    public static final BootstrapConfig DEFAULT = new BootstrapConfig(10_000, 0L, 0.95);

    public BootstrapConfig {
        if (resamples < 1) throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }

    public BootstrapConfig withResamples(int n) {
        return new BootstrapConfig(n, seed, level);
    }

    public BootstrapConfig withSeed(long s) {
        return new BootstrapConfig(resamples, s, level);
    }
}
