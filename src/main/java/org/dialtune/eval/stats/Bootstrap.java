package org.dialtune.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence interval of a mean: resample the items with replacement
 * {@code resamples} times, take the mean of each resample, and read the (1 − level)/2 and
 * (1 + level)/2 percentiles (numpy's linear interpolation). Seeded, so the same data, seed and
 * resample count always give the same interval.
 */
public final class Bootstrap {
    private Bootstrap() {}

    public static Interval meanInterval(double[] values, BootstrapConfig config) {
        if (values.length == 0) throw new IllegalArgumentException("no values to resample");
        Descriptive.mean(values); // rejects NaN and infinities up front
        SplittableRandom rng = new SplittableRandom(config.seed());
        double[] means = new double[config.resamples()];
        int n = values.length;
        for (int r = 0; r < means.length; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[rng.nextInt(n)];
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double tail = (1 - config.level()) / 2 * 100;
        return new Interval(Percentiles.linear(means, tail), Percentiles.linear(means, 100 - tail), config.level());
    }
}
