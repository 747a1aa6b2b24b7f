package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import org.dialtune.testing.Close;

/** Compares logits [B, T, V] with a fixture's {@code expected.logits} block. */
final class LogitChecks {
    private LogitChecks() {}

    static void assertMatches(String tag, JsonObject exp, NDArray logits, NDArray labels, double tol) {
        float[] v = Close.values(logits);
        long[] shape = logits.getShape().getShape();
        int b = (int) shape[0];
        int t = (int) shape[1];
        int vocab = (int) shape[2];
        assertArrayEquals(Close.flat(exp.get("shape")), new double[] {b, t, vocab}, tag + " logits shape");
        checksums(tag + " logits", exp.getAsJsonObject("checksums"), v);
        float[] first16 = new float[b * t * 16];
        float[] last4 = new float[b * t * 4];
        float[] lse = new float[b * t];
        float[] max = new float[b * t];
        float[] sum = new float[b * t];
        double[] argmax = new double[b * t];
        for (int p = 0; p < b * t; p++) {
            int base = p * vocab;
            System.arraycopy(v, base, first16, p * 16, 16);
            System.arraycopy(v, base + vocab - 4, last4, p * 4, 4);
            double mx = Double.NEGATIVE_INFINITY;
            int am = 0;
            double s = 0;
            for (int k = 0; k < vocab; k++) {
                if (v[base + k] > mx) {
                    mx = v[base + k];
                    am = k;
                }
                s += v[base + k];
            }
            double e = 0;
            for (int k = 0; k < vocab; k++) e += Math.exp(v[base + k] - mx);
            lse[p] = (float) (mx + Math.log(e));
            max[p] = (float) mx;
            sum[p] = (float) s;
            argmax[p] = am;
        }
        Close.abs(tag + " logits[..., :16]", Close.flat(exp.get("slice_first_16_vocab")), first16, tol);
        Close.abs(tag + " logits[..., -4:]", Close.flat(exp.get("slice_last_4_vocab")), last4, tol);
        Close.abs(tag + " logsumexp", Close.flat(exp.get("per_position_logsumexp")), lse, tol);
        Close.abs(tag + " max", Close.flat(exp.get("per_position_max")), max, tol);
        // a sum over 50265 logits accumulates float32 noise: absolute 1e-2 as the README says
        Close.abs(tag + " per-position sum", Close.flat(exp.get("per_position_sum")), sum, 1e-2);
        assertArrayEquals(Close.flat(exp.get("per_position_argmax")), argmax, tag + " argmax");
        long[] lab = labels.toLongArray();
        float[] atLabel = new float[b * t];
        for (int p = 0; p < b * t; p++) atLabel[p] = lab[p] < 0 ? Float.NaN : v[p * vocab + (int) lab[p]];
        Close.abs(tag + " logits at labels", Close.flat(exp.get("at_label_ids")), atLabel, tol);
        if (exp.has("full")) Close.abs(tag + " full logits", Close.flat(exp.get("full")), v, tol);
    }

    static void checksums(String tag, JsonObject c, float[] v) {
        double sum = 0;
        double abs = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            abs += Math.abs(x);
            sq += (double) x * x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        Close.rel(tag + " abs_sum", c.get("abs_sum").getAsDouble(), abs, 1e-5, 0);
        Close.rel(tag + " sq_sum", c.get("sq_sum").getAsDouble(), sq, 1e-5, 0);
        Close.rel(tag + " sum", c.get("sum").getAsDouble(), sum, 0, 1e-2);
        Close.rel(tag + " min", c.get("min").getAsDouble(), min, 1e-5, 1e-5);
        Close.rel(tag + " max", c.get("max").getAsDouble(), max, 1e-5, 1e-5);
    }
}
