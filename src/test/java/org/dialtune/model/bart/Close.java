package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise closeness assertions that name the first offending index. */
final class Close {
    private Close() {}

    static void abs(String what, double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) continue;
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (worst > tol || Double.isNaN(worst)) {
            fail(what + ": max |Δ| " + worst + " > " + tol + " at " + at + " (expected " + expected[at] + ", got "
                    + actual[at] + ")");
        }
    }

    static void rel(String what, double expected, double actual, double relTol, double absTol) {
        double d = Math.abs(expected - actual);
        if (!(d <= absTol || d <= relTol * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (|Δ| " + d + ")");
        }
    }
}
