package org.dialtune.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Expected numbers come from numpy 1.24 (Debian python3-numpy) and, for the permutation p-values,
 * from enumerating every sign pattern with itertools; the commands are in the comments.
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
    void percentilesMatchNumpyLinear() {
        // np.percentile(np.sort(x), q)
        double[] s = X.clone();
        Arrays.sort(s);
        double[][] expected = {{0, 0.1}, {2.5, 0.115}, {25, 0.30000000000000004}, {50, 0.4}, {62.5, 0.475},
                               {97.5, 0.8775}, {100, 0.9}, {33.3, 0.39959999999999996}};
        for (double[] e : expected) assertEquals(e[1], Percentiles.linear(s, e[0]), 1e-15, "q=" + e[0]);
    }

    private static double[] grid() {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 37) % 101) / 100.0;
        return v;
    }

    @Test
    void bootstrapIntervalAgreesWithALongNumpyRun() {
        // v = [((i*37)%101)/100 for i in range(40)]; 200,000 numpy resamples give [0.40725, 0.59025]
        BootstrapConfig config = new BootstrapConfig(20_000, 42L, 0.95);
        Interval ci = Bootstrap.meanInterval(grid(), config);
        assertEquals(0.40725, ci.low(), 0.004);
        assertEquals(0.59025, ci.high(), 0.004);
        assertTrue(ci.contains(0.4985));
        assertEquals(0.95, ci.level());
    }

    @Test
    void bootstrapIsSeededAndDeterministic() {
        BootstrapConfig config = new BootstrapConfig(500, 7L, 0.95);
        assertEquals(Bootstrap.meanInterval(grid(), config), Bootstrap.meanInterval(grid(), config));
        assertNotEquals(Bootstrap.meanInterval(grid(), config), Bootstrap.meanInterval(grid(), config.withSeed(8L)));
        Interval constant = Bootstrap.meanInterval(new double[] {0.5, 0.5, 0.5}, config);
        assertEquals(0.5, constant.low());
        assertEquals(0.5, constant.high());
        Interval narrow = Bootstrap.meanInterval(grid(), new BootstrapConfig(500, 7L, 0.5));
        Interval wide = Bootstrap.meanInterval(grid(), config);
        assertTrue(narrow.low() > wide.low() && narrow.high() < wide.high());
        assertThrows(IllegalArgumentException.class, () -> new BootstrapConfig(0, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapConfig(10, 1, 1.0));
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
        PairedComparison exact = PairedComparison.of(A, B, BootstrapConfig.DEFAULT);
        assertEquals(12, exact.n());
        assertEquals(0.0425, exact.meanDifference(), 1e-12);
        assertEquals(0.01025390625, exact.pValue(), 1e-15);
        assertEquals("exact sign-flip (4096 patterns)", exact.pValueMethod());
        assertTrue(exact.differenceInterval().low() > 0, "b is better on 10 of 12 items: " + exact.differenceInterval());
        assertTrue(exact.differenceInterval().contains(0.0425));

        PairedComparison mc = PairedComparison.of(A, B, new BootstrapConfig(50_000, 3L, 0.95), 10);
        assertEquals(0.01025390625, mc.pValue(), 0.002);
        assertTrue(mc.pValueMethod().startsWith("Monte-Carlo sign-flip (50000 resamples, seed 3)"));
        assertEquals(mc, PairedComparison.of(A, B, new BootstrapConfig(50_000, 3L, 0.95), 10));
    }

    @Test
    void pairedComparisonNeedsMatchedItems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[] {1, 2}, new double[] {1}, BootstrapConfig.DEFAULT));
        assertEquals("paired comparison needs matched items: 2 vs 1", e.getMessage());
        PairedComparison same = PairedComparison.of(A, A, BootstrapConfig.DEFAULT);
        assertEquals(1.0, same.pValue());
        assertEquals(0.0, same.meanDifference());
    }
}
