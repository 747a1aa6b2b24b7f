package org.dialtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

class TokenCrossEntropyTest {
    private static final float[] LOGITS = {
        0.5f, -1f, 2f, 0f, // b0 t0
        1f, 1f, -0.5f, 3f, // b0 t1
        -2f, 0.25f, 0.75f, 1.5f, // b0 t2 (ignored)
        0f, 0f, 0f, 0f, // b1 t0
        2.5f, -1.5f, 0.5f, 1f, // b1 t1
        0.1f, 0.2f, 0.3f, -0.4f}; // b1 t2
    private static final long[] LABELS = {2, 3, -100, 1, 0, 3};

    /** PyTorch CrossEntropyLoss(ignore_index=-100, label_smoothing=eps), recomputed in double. */
    private static double reference(double eps) {
        double sum = 0;
        int n = 0;
        for (int p = 0; p < 6; p++) {
            if (LABELS[p] < 0) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 4; k++) max = Math.max(max, LOGITS[p * 4 + k]);
            double z = 0;
            for (int k = 0; k < 4; k++) z += Math.exp(LOGITS[p * 4 + k] - max);
            double lse = max + Math.log(z);
            double nll = lse - LOGITS[p * 4 + (int) LABELS[p]];
            double uniform = 0;
            for (int k = 0; k < 4; k++) uniform += (lse - LOGITS[p * 4 + k]) / 4;
            sum += (1 - eps) * nll + eps * uniform;
            n++;
        }
        return sum / n;
    }

    @Test
    void meanOverLabelTokensWithAndWithoutLabelSmoothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS, new Shape(2, 3, 4));
            NDArray labels = m.create(LABELS, new Shape(2, 3));
            TokenCrossEntropy.Result plain = new TokenCrossEntropy(0f).compute(logits, labels);
            assertEquals(reference(0), plain.loss().getFloat(), 1e-6);
            assertEquals(reference(0) * 5, plain.nllSum().getFloat(), 1e-5);
            assertEquals(5f, plain.tokens().getFloat());
            TokenCrossEntropy.Result smooth = new TokenCrossEntropy(0.1f).compute(logits, labels);
            assertEquals(reference(0.1), smooth.loss().getFloat(), 1e-6);
            assertEquals(reference(0.1) * 5, smooth.summed().getFloat(), 1e-5); // summed over the 5 label tokens
            assertEquals(reference(0) * 5, plain.summed().getFloat(), 1e-5);
            assertEquals(reference(0) * 5, smooth.nllSum().getFloat(), 1e-5); // nll stays unsmoothed
        }
    }

    @Test
    void shiftTokensRightPutsTheStartTokenFirstAndPadsIgnoredLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {0, 31414, 2, -100, 0, 5, 6, 2}, new Shape(2, 4));
            assertArrayEquals(new long[] {2, 0, 31414, 2, 2, 0, 5, 6},
                    TokenCrossEntropy.shiftTokensRight(labels, 1, 2).toLongArray());
            NDArray longer = m.create(new long[] {7, -100, -100}, new Shape(1, 3));
            assertArrayEquals(new long[] {2, 7, 1}, TokenCrossEntropy.shiftTokensRight(longer, 1, 2).toLongArray());
        }
    }

    @Test
    void labelSmoothingOutOfRangeIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> new TokenCrossEntropy(1f));
        assertEquals("label smoothing must be in [0, 1), got 1.0", e.getMessage());
    }
}
