package org.dialtune.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutTest {
    /** More values than one generator chunk, and not a multiple of it (nor even). */
    private static final Shape SHAPE = new Shape(3, 2 * Dropout.CHUNK / 3 + 7);

    @Test
    void keepsAboutOneMinusTheRateAndScalesWhatItKeeps() {
        Dropout.reseed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(1f, 2f, SHAPE);
            float[] in = x.toFloatArray();
            float[] out = Dropout.apply(x, 0.3f, true).toFloatArray();
            int kept = 0;
            for (int i = 0; i < in.length; i++) {
                if (out[i] == 0f) continue;
                kept++;
                assertEquals(in[i] / 0.7f, out[i], 1e-5f, "value " + i);
            }
            double fraction = kept / (double) in.length;
            double sd = Math.sqrt(0.3 * 0.7 / in.length);
            assertEquals(0.7, fraction, 5 * sd, "kept fraction");
        }
    }

    @Test
    void theGradientIsTheSameMaskAndScale() {
        Dropout.reseed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(1f, 2f, SHAPE);
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = Dropout.apply(x, 0.1f, true);
                // the scale is a tensor autograd keeps: the backward pass must still read it after a GC
                System.gc();
                gc.backward(y.sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            float[] out = y.toFloatArray();
            float[] in = x.toFloatArray();
            for (int i = 0; i < grad.length; i++) {
                float expected = out[i] == 0f ? 0f : 1f / 0.9f;
                assertEquals(expected, grad[i], 1e-6f, "gradient " + i);
                assertEquals(in[i] * grad[i], out[i], 1e-5f, "output " + i);
            }
        }
    }

    @Test
    void rateOneDropsEverythingAndItsGradientIsZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(1f, 2f, SHAPE);
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = Dropout.apply(x, 1f, true);
                System.gc(); // the zero is a tensor autograd keeps: it must still be there for the backward pass
                gc.backward(y.sum());
            }
            assertTrue(y.eq(0f).all().getBoolean());
            assertTrue(x.getGradient().eq(0f).all().getBoolean(), "gradient of a rate-1 dropout");
        }
    }

    @Test
    void aReseedDrawsTheSameMasksAgainAndEachDrawIsNew() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ones = m.ones(SHAPE);
            Dropout.reseed(42);
            boolean[] first = Dropout.apply(ones, 0.5f, true).eq(0f).toBooleanArray();
            boolean[] second = Dropout.apply(ones, 0.5f, true).eq(0f).toBooleanArray();
            Dropout.reseed(42);
            assertArrayEquals(first, Dropout.apply(ones, 0.5f, true).eq(0f).toBooleanArray());
            assertArrayEquals(second, Dropout.apply(ones, 0.5f, true).eq(0f).toBooleanArray());
            assertFalse(Arrays.equals(first, second), "two draws of a step should differ");
            Dropout.reseed(43);
            assertFalse(Arrays.equals(first, Dropout.apply(ones, 0.5f, true).eq(0f).toBooleanArray()),
                    "another step seed should give other masks");
        }
    }

    @Test
    void offInInferenceAndAtRateZeroAndKeepsHalfPrecision() {
        Dropout.reseed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4, 5));
            assertSame(x, Dropout.apply(x, 0.5f, false));
            assertSame(x, Dropout.apply(x, 0f, true));
            assertTrue(Dropout.apply(x, 1f, true).eq(0f).all().getBoolean(), "rate 1 drops everything");
            NDArray half = m.ones(SHAPE).toType(DataType.FLOAT16, false);
            NDArray dropped = Dropout.apply(half, 0.2f, true);
            assertEquals(DataType.FLOAT16, dropped.getDataType());
            assertEquals(SHAPE, dropped.getShape());
        }
    }
}
