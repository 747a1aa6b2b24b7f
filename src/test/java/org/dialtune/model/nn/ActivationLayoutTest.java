package org.dialtune.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.dialtune.model.Precision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A feed-forward block computes the same on the convolution route's image layout as on rows. */
class ActivationLayoutTest {
    private static final Shape ROUTE_SIZED = new Shape(2, 128, 256); // 256 rows of width 256: the route's sizes
    private int threadsBefore;

    @BeforeEach
    void twoThreads() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2); // oneDNN takes the route's convolutions only with more than one thread
    }

    @AfterEach
    void restore() {
        JniUtils.setNumThreads(threadsBefore);
    }

    /** Output, then the gradients of x and of every weight and bias, of sum(block(x) · c). */
    private static List<float[]> run(boolean gated, boolean imageLayout) {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(3);
            MatmulPrecision precision = new MatmulPrecision();
            List<NDArray> leaves = new ArrayList<>();
            NDArray x = gaussian(m, rnd, ROUTE_SIZED, 1f, leaves);
            Linear in = new Linear(gaussian(m, rnd, new Shape(512, 256), 0.05f, leaves),
                    gaussian(m, rnd, new Shape(512), 1f, leaves), precision);
            Linear gate = gated ? new Linear(gaussian(m, rnd, new Shape(512, 256), 0.05f, leaves), null, precision) : null;
            Linear out = new Linear(gaussian(m, rnd, new Shape(288, 512), 0.05f, leaves),
                    gaussian(m, rnd, new Shape(288), 1f, leaves), precision);
            UnaryOperator<NDArray> gelu = Activation.of("gelu", "test");
            FeedForward block = gated ? FeedForward.gated(in, gate, out, gelu, 0f) : FeedForward.dense(in, out, gelu, 0f);
            NDArray c = gaussian(m, rnd, new Shape(2, 128, 288), 1f, new ArrayList<>());
            ActivationLayout layout = ActivationLayout.of(block, x);
            if (imageLayout) {
                assumeTrue(layout != ActivationLayout.ROWS, "a forced GEMM route, or the convolution route not verified here");
                assertInstanceOf(ActivationLayout.Image.class, layout);
            }
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                if (imageLayout) {
                    y = block.apply(x, true);
                } else { // the rows layout: each product through Linear.apply, as before the image layout
                    NDArray a = gelu.apply(in.apply(x, true));
                    if (gated) a = a.mul(gate.apply(x, true));
                    y = out.apply(a, true);
                }
                gc.backward(y.mul(c).sum());
            }
            assertArrayEquals(new long[] {2, 128, 288}, y.getShape().getShape());
            List<float[]> r = new ArrayList<>();
            r.add(y.toFloatArray());
            for (NDArray p : leaves) r.add(p.getGradient().toFloatArray());
            return r;
        }
    }

    private static NDArray gaussian(NDManager m, Random rnd, Shape shape, float std, List<NDArray> leaves) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian() * std;
        NDArray a = m.create(v, shape);
        a.setRequiresGradient(true);
        leaves.add(a);
        return a;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theImageLayoutGivesTheRowsLayoutsOutputAndGradients(boolean gated) {
        List<float[]> rows = run(gated, false);
        List<float[]> image = run(gated, true);
        assertEquals(rows.size(), image.size());
        for (int i = 0; i < rows.size(); i++) {
            float[] e = rows.get(i);
            float[] a = image.get(i);
            double worst = 0;
            double scale = 0;
            for (int j = 0; j < e.length; j++) {
                worst = Math.max(worst, Math.abs(e[j] - a[j]));
                scale = Math.max(scale, Math.abs(e[j]));
            }
            assertTrue(worst <= 1e-5 * scale, "array " + i + ": max |Δ| " + worst + " for values up to " + scale);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adapter", "fp16", "few rows"})
    void blocksTheImageCannotServeStayOnRows(String why) {
        assumeTrue(LinearKernel.routeByShape(), "dialtune.linear forces a route");
        try (NDManager m = NDManager.newBaseManager()) {
            MatmulPrecision precision = new MatmulPrecision();
            Linear in = new Linear(m.zeros(new Shape(512, 256)), null, precision);
            Linear out = new Linear(m.zeros(new Shape(256, 512)), null, precision);
            FeedForward block = FeedForward.dense(in, out, x -> x, 0f);
            NDArray x = m.zeros(why.equals("few rows") ? new Shape(8, 256) : ROUTE_SIZED);
            if (why.equals("adapter")) out.adapter().set(new LowRankUpdate(m.zeros(new Shape(2, 512)), m.zeros(new Shape(256, 2)), 1f, 0f));
            if (why.equals("fp16")) precision.set(Precision.FP16);
            assertSame(ActivationLayout.ROWS, ActivationLayout.of(block, x));
        }
    }
}
