package org.dialtune.eval.stats;

/**
 * How reports compute their statistics: the confidence level of intervals, and the number of random
 * sign patterns (with the seed that makes them reproducible) of the Monte-Carlo sign-flip test, used
 * when a comparison has too many units to enumerate every pattern.
 */
public record StatsConfig(int resamples, long seed, double level) {
    public static final StatsConfig DEFAULT = new StatsConfig(10_000, 0L, 0.95);

    public StatsConfig {
        if (resamples < 1) throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }

    public StatsConfig withResamples(int n) {
        return new StatsConfig(n, seed, level);
    }

    public StatsConfig withSeed(long s) {
        return new StatsConfig(resamples, s, level);
    }
}
