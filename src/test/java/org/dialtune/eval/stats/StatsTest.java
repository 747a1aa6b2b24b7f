package org.dialtune.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected numbers come from numpy 1.24 (Debian python3-numpy), scipy 1.17 (t-intervals) and, for
 * the permutation p-values, from enumerating every sign pattern with itertools; the commands are in
 * the comments.
 */
class StatsTest {
    private static final double[] X = {0.2, 0.5, 0.9, 0.4, 0.4, 0.75, 0.1};

    @Test
    void meanAndSampleStdMatchNumpy() {
        // x.mean(), x.std(ddof=1)
        Descriptive d = Descriptive.of(X);
        assertEquals(7, d.n());
        assertEquals(0.4642857142857143, d.mean(), 1e-15);
        assertEquals(0.28389300466062584, d.sampleStd(), 1e-15);
        Descriptive one = Descriptive.of(new double[] {0.3});
        assertFalse(one.hasStd());
        assertTrue(Double.isNaN(one.sampleStd()));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.of(new double[] {1, Double.NaN}));
    }

    @Test
    void tIntervalMatchesScipy() {
        // scipy.stats.t.interval(0.95, 2, loc=x.mean(), scale=x.std(ddof=1)/sqrt(3)) for the three seeds
        Interval three = StudentT.meanInterval(new double[] {0.42, 0.47, 0.45}, 0.95);
        assertEquals(0.38415057187290885, three.low(), 1e-9);
        assertEquals(0.5091827614604243, three.high(), 1e-9);
        assertEquals(3, three.n());
        assertEquals(0.95, three.level());
        // a percentile bootstrap of these three values could not leave [0.42, 0.47]
        assertTrue(three.low() < 0.42 && three.high() > 0.47);
        // two values: t(1) = 12.706, honest and wide
        Interval two = StudentT.meanInterval(new double[] {0.3, 0.5}, 0.95);
        assertEquals(-0.8706204736174695, two.low(), 1e-9);
        assertEquals(1.6706204736174697, two.high(), 1e-9);
        assertNull(StudentT.meanInterval(new double[] {0.3}, 0.95), "one value: no interval");
        Interval seven = StudentT.meanInterval(X, 0.95);
        assertEquals(0.20172847594809973, seven.low(), 1e-9);
        assertEquals(0.7268429526233289, seven.high(), 1e-9);
        Interval half = StudentT.meanInterval(X, 0.5);
        assertEquals(0.38729066506514387, half.low(), 1e-9);
        assertEquals(0.5412807635062847, half.high(), 1e-9);
        assertEquals(12.706204736174694, StudentT.quantile(0.975, 1), 1e-7);
        Interval constant = StudentT.meanInterval(new double[] {0.5, 0.5, 0.5}, 0.95);
        assertEquals(0.5, constant.low());
        assertEquals(0.5, constant.high());
        assertThrows(IllegalArgumentException.class, () -> StudentT.meanInterval(X, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new StatsConfig(0, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new StatsConfig(10, 1, 1.0));
    }

    /**
     * Coverage by simulation: 20,000 samples of 3 (and of 2) normal seeds, seeded. The t-interval covers
     * the true mean 95% of the time (binomial sd 0.15%); [min, max] of 3 values, the widest interval a
     * percentile bootstrap of them can give, covers 1 − 2 × 0.5^3 = 75%.
     */
    @Test
    void tIntervalHasItsStatedCoverageWithThreeAndTwoSeeds() {
        java.util.Random rng = new java.util.Random(20261206L);
        int reps = 20_000;
        int coveredThree = 0;
        int coveredTwo = 0;
        int coveredRange = 0;
        for (int r = 0; r < reps; r++) {
            double[] x = {0.45 + 0.03 * rng.nextGaussian(), 0.45 + 0.03 * rng.nextGaussian(), 0.45 + 0.03 * rng.nextGaussian()};
            if (StudentT.meanInterval(x, 0.95).contains(0.45)) coveredThree++;
            if (StudentT.meanInterval(new double[] {x[0], x[1]}, 0.95).contains(0.45)) coveredTwo++;
            if (Math.min(x[0], Math.min(x[1], x[2])) <= 0.45 && 0.45 <= Math.max(x[0], Math.max(x[1], x[2]))) coveredRange++;
        }
        assertEquals(0.95, (double) coveredThree / reps, 0.006, "3 seeds");
        assertEquals(0.95, (double) coveredTwo / reps, 0.006, "2 seeds");
        assertEquals(0.75, (double) coveredRange / reps, 0.01, "[min, max] of 3 seeds");
    }

    @Test
    void exactSignFlipPValues() {
        // d = [1, 2, 3, 4]: only all-plus and all-minus reach |sum| = 10 -> 2/16
        assertEquals(0.125, PairedComparison.exactSignFlipP(new double[] {1, 2, 3, 4}));
        // symmetric differences: every pattern is at least as extreme as the observed sum 0
        assertEquals(1.0, PairedComparison.exactSignFlipP(new double[] {0.5, -0.5, 0.25, -0.25, 0.0}));
    }

    private static final double[] A = {0.31, 0.52, 0.48, 0.77, 0.12, 0.66, 0.45, 0.39, 0.58, 0.70, 0.22, 0.61};
    private static final double[] B = {0.35, 0.50, 0.55, 0.80, 0.20, 0.64, 0.52, 0.41, 0.66, 0.69, 0.30, 0.70};

    @Test
    void pairedComparisonExactAndMonteCarloAgree() {
        // itertools over 2^12 sign patterns: p = 0.01025390625; mean(b - a) = 0.0425
        PairedComparison exact = PairedComparison.of(A, B, StatsConfig.DEFAULT);
        assertEquals(12, exact.n());
        assertEquals(0.0425, exact.meanDifference(), 1e-12);
        assertEquals(0.01025390625, exact.pValue(), 1e-15);
        assertEquals("exact sign-flip (4096 patterns)", exact.pValueMethod());
        // scipy.stats.t.interval(0.95, 11, loc=d.mean(), scale=scipy.stats.sem(d)) with d = b - a
        assertEquals(0.015937843998549608, exact.differenceInterval().low(), 1e-9);
        assertEquals(0.0690621560014504, exact.differenceInterval().high(), 1e-9);
        assertEquals(12, exact.differenceInterval().n());

        PairedComparison mc = PairedComparison.of(A, B, new StatsConfig(50_000, 3L, 0.95), 10);
        assertEquals(0.01025390625, mc.pValue(), 0.002);
        assertTrue(mc.pValueMethod().startsWith("Monte-Carlo sign-flip (50000 resamples, seed 3)"));
        assertEquals(mc, PairedComparison.of(A, B, new StatsConfig(50_000, 3L, 0.95), 10));
    }

    @Test
    void pairedComparisonNeedsMatchedItems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[] {1, 2}, new double[] {1}, StatsConfig.DEFAULT));
        assertEquals("paired comparison needs matched items: 2 vs 1", e.getMessage());
        PairedComparison same = PairedComparison.of(A, A, StatsConfig.DEFAULT);
        assertEquals(1.0, same.pValue());
        assertEquals(0.0, same.meanDifference());
        PairedComparison one = PairedComparison.of(new double[] {0.2}, new double[] {0.5}, StatsConfig.DEFAULT);
        assertNull(one.differenceInterval(), "one item: no interval");
        assertEquals(1.0, one.pValue(), "one item: both signs are as extreme");
    }
}
