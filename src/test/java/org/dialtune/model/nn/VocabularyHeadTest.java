package org.dialtune.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.dialtune.model.Precision;
import org.dialtune.train.AdamW;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VocabularyHeadTest {
    /** Two copy chunks of 4,096 rows and part of a third. */
    private static final int VOCAB = 9_003;
    private static final int D = 48;

    @BeforeEach
    void inference() {
        Engine.getInstance();
        JniUtils.setGradMode(false); // as outside a GradientCollector (an earlier test in this JVM may leave it on)
        // a forced route (the build's second test run forces the convolution) uses the plain kernels throughout
        assumeTrue(LinearKernel.routeByShape(), "dialtune.linear forces a route");
    }

    private static NDArray gaussian(NDManager m, Random rnd, Shape shape, float std) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian() * std;
        return m.create(v, shape);
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        float scale = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * scale, "logit " + i);
    }

    @Test
    void decodingStepsReadAnInputMajorCopyWithTheSameLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(3);
            NDArray w = gaussian(m, rnd, new Shape(VOCAB, D), 0.1f);
            NDArray b = gaussian(m, rnd, new Shape(VOCAB), 1f);
            VocabularyHead head = new VocabularyHead(w, b, new MatmulPrecision());
            NDArray h = gaussian(m, rnd, new Shape(4, 2, D), 1f); // 8 rows, as a greedy step of 8 sources
            NDArray y;
            try (NDScope scope = new NDScope()) { // as a decoding step: the copy must outlive the scope
                y = head.logits(h);
                NDScope.unregister(y);
            }
            assertTrue(head.holdsCopy());
            assertClose(LinearKernel.apply(h, w, b, Precision.FP32), y);
            assertClose(y, head.logits(h)); // the kept copy, read again after its scope closed
        }
    }

    @Test
    void theCopyFollowsWeightsChangedInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(4);
            NDArray w = gaussian(m, rnd, new Shape(VOCAB, D), 0.1f);
            VocabularyHead head = new VocabularyHead(w, null, new MatmulPrecision());
            NDArray h = gaussian(m, rnd, new Shape(8, D), 1f);
            head.logits(h);
            w.muli(-2f); // as an optimiser writes in place …
            WeightUpdates.advance(); // … and says so
            assertClose(LinearKernel.apply(h, w, null, Precision.FP32), head.logits(h));
        }
    }

    @Test
    void anAdamWStepAdvancesTheWeightUpdateCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.ones(new Shape(3));
            p.setRequiresGradient(true);
            try (AdamW opt = new AdamW(Map.of("p", p), AdamW.Settings.defaults(n -> true))) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(p.mul(p).sum());
                }
                long before = WeightUpdates.current();
                try (NDManager step = m.newSubManager()) {
                    opt.step(1e-3, step);
                }
                assertTrue(WeightUpdates.current() > before);
            }
        }
    }

    @Test
    void trainingPassesUseTheWeightItselfAndDropTheCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(5);
            NDArray w = gaussian(m, rnd, new Shape(VOCAB, D), 0.1f);
            NDArray h = gaussian(m, rnd, new Shape(8, D), 1f);
            VocabularyHead head = new VocabularyHead(w, null, new MatmulPrecision());
            head.logits(h);
            assertTrue(head.holdsCopy());
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(head.logits(h).sum());
            }
            assertFalse(head.holdsCopy(), "a training pass frees the copy (the weights are about to change)");
            NDArray grad = w.getGradient();
            assertNotNull(grad);
            // d sum(h·Wᵀ) / dW = 1ᵀh for every vocabulary row
            assertClose(h.sum(new int[] {0}).broadcast(new Shape(VOCAB, D)), grad);
        }
    }

    @Test
    void widerProductsAndHalfPrecisionTakeTheLinearKernel() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(6);
            NDArray w = gaussian(m, rnd, new Shape(VOCAB, D), 0.1f);
            MatmulPrecision precision = new MatmulPrecision();
            VocabularyHead head = new VocabularyHead(w, null, precision);
            NDArray wide = gaussian(m, rnd, new Shape(VocabularyHead.MAX_COPY_ROWS, D), 1f);
            assertClose(LinearKernel.apply(wide, w, null, Precision.FP32), head.logits(wide));
            assertFalse(head.holdsCopy());
            precision.set(Precision.FP16);
            head.logits(gaussian(m, rnd, new Shape(8, D), 1f));
            assertFalse(head.holdsCopy());
        }
    }
}
