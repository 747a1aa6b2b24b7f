package org.dialtune.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;

/** Golden-fixture comparisons shared by every model family's parity tests: closeness assertions that name the first offending index, and fixture arrays read as doubles. */
public final class Close {
    private Close() {}

    /** Element-wise |expected - actual| <= tol (NaN expected entries are skipped), naming the worst index. */
    public static void abs(String what, double[] expected, float[] actual, double tol) {
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

    /** |expected - actual| within relTol·|expected| or absTol. */
    public static void rel(String what, double expected, double actual, double relTol, double absTol) {
        double d = Math.abs(expected - actual);
        if (!(d <= absTol || d <= relTol * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (|Δ| " + d + ")");
        }
    }

    /** A nested JSON array flattened row-major; null entries become NaN (skipped by {@link #abs}). */
    public static double[] flat(JsonElement e) {
        List<Double> out = new ArrayList<>();
        flatten(e, out);
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) d[i] = out.get(i);
        return d;
    }

    private static void flatten(JsonElement e, List<Double> out) {
        if (e.isJsonArray()) {
            for (JsonElement c : e.getAsJsonArray()) flatten(c, out);
        } else {
            out.add(e.isJsonNull() ? Double.NaN : e.getAsDouble());
        }
    }

    /** The array's values as float32, copied to the host. */
    public static float[] values(NDArray a) {
        return a.toType(DataType.FLOAT32, true).toFloatArray();
    }
}
