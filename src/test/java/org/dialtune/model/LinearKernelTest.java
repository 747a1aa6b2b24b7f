package org.dialtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dialtune.common.UserError;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearKernelTest {
    /** Output and the gradients of x, W and b for one route: sum(y · c) with fixed random c. */
    private static float[][] run(LinearKernel.Route route, Shape xShape, int out) {
        return run(route, Precision.FP32, xShape, out);
    }

    private static float[][] run(LinearKernel.Route route, Precision precision, Shape xShape, int out) {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(7);
            long in = xShape.get(xShape.dimension() - 1);
            long[] yDims = xShape.getShape().clone();
            yDims[yDims.length - 1] = out;
            NDArray x = gaussian(m, rnd, xShape, 1f);
            NDArray w = gaussian(m, rnd, new Shape(out, in), 0.05f);
            NDArray b = gaussian(m, rnd, new Shape(out), 1f);
            NDArray c = gaussian(m, rnd, new Shape(yDims), 1f);
            for (NDArray p : new NDArray[] {x, w, b}) p.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = precision == Precision.FP32 ? LinearKernel.apply(x, w, b, route)
                        : LinearKernel.apply(x, w, b, precision);
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, y.getDataType());
                gc.backward(y.mul(c).sum());
            }
            assertArrayEquals(yDims, y.getShape().getShape());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
                b.getGradient().toFloatArray()};
        }
    }

    private static NDArray gaussian(NDManager m, Random rnd, Shape shape, float std) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian() * std;
        return m.create(v, shape);
    }

    /** float32 agreement up to summation order: max |Δ| within 1e-5 of the largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, what, 1e-5);
    }

    private static void assertClose(float[] expected, float[] actual, String what, double tolerance) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(worst <= tolerance * scale, what + ": max |Δ| " + worst + " for values up to " + scale);
    }

    @Test
    void convolutionRouteComputesTheSameLinearMapAndGradientsAsTheGemm() {
        Shape x = new Shape(2, 150, 300); // 300 rows, 300 → 260 features: the sizes where auto picks conv
        float[][] gemm = run(LinearKernel.Route.GEMM, x, 260);
        float[][] conv = run(LinearKernel.Route.CONV, x, 260);
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        for (int i = 0; i < names.length; i++) assertClose(gemm[i], conv[i], names[i]);
    }

    @Test
    void halfPrecisionProductsKeepFloat32WeightsAndGradients() {
        Shape x = new Shape(3, 40, 64);
        float[][] full = run(LinearKernel.Route.GEMM, x, 48);
        float[][] half = run(LinearKernel.Route.GEMM, Precision.FP16, x, 48);
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        // float16 keeps 11 significant bits: agreement to a few parts in a thousand
        for (int i = 0; i < names.length; i++) assertClose(full[i], half[i], names[i] + " (fp16)", 5e-3);
    }

    @Test
    void precisionNamesAndTheBfloat16Refusal() {
        assertEquals(Precision.FP16, Precision.parse("FP16", "--precision"));
        assertEquals(Precision.FP32, Precision.parse("float32", "--precision"));
        assertEquals("--precision bf16: bfloat16 is not available: DJL 0.35.1 aborts the JVM on bfloat16 tensors; use"
                + " fp16 (mixed precision with loss scaling) or fp32",
                assertThrows(UserError.class, () -> Precision.parse("bf16", "--precision")).getMessage());
        assertEquals("--precision: unknown precision \"int8\" (use fp32 or fp16)",
                assertThrows(UserError.class, () -> Precision.parse("int8", "--precision")).getMessage());
    }

    @Test
    void convolutionRouteIsDeterministic() {
        Shape x = new Shape(256, 320);
        float[][] first = run(LinearKernel.Route.CONV, x, 288);
        float[][] second = run(LinearKernel.Route.CONV, x, 288);
        for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], second[i]);
    }

    @Test
    void autoRoutePicksConvolutionOnlyForLargeProductsOnCpu() {
        Device cpu = Device.cpu();
        assertTrue(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 1024, 768, 3072));
        assertTrue(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 256, 768, 50265));
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 8, 768, 50265)); // a generation step
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 1024, 32, 32)); // a tiny model
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, Device.gpu(), 1024, 768, 3072));
        assertFalse(LinearKernel.useConv(LinearKernel.Route.GEMM, cpu, 1024, 768, 3072));
        assertTrue(LinearKernel.useConv(LinearKernel.Route.CONV, cpu, 8, 32, 32));
    }

    @Test
    void unknownRouteIsAUserError() {
        assertEquals(LinearKernel.Route.AUTO, LinearKernel.parse(null));
        assertEquals(LinearKernel.Route.GEMM, LinearKernel.parse(" gemm "));
        UserError e = assertThrows(UserError.class, () -> LinearKernel.parse("mkl"));
        assertEquals("dialtune.linear / DIALTUNE_LINEAR: unknown value \"mkl\" (use auto, gemm or conv)", e.getMessage());
    }
}
