package org.dialtune.model.nn;

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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dialtune.common.UserError;
import org.dialtune.model.Precision;
import org.junit.jupiter.api.Test;

class LinearKernelTest {
    /** Output and the gradients of x, W and b for one route: sum(y · c) with fixed random c. */
    private static float[][] run(LinearKernel.Route route, Shape xShape, int out) {
        return run(route, Precision.FP32, xShape, out);
    }

    private static float[][] run(LinearKernel.Route route, Precision precision, Shape xShape, int out) {
        return run((x, w, b) -> precision == Precision.FP32 ? LinearKernel.apply(x, w, b, route)
                : LinearKernel.apply(x, w, b, precision), xShape, out);
    }

    private static float[][] run(KernelProbe.Kernel kernel, Shape xShape, int out) {
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
                y = kernel.apply(x, w, b);
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

    /**
     * The shapes that failed on AVX-512 machines when x went in as a channels-last view (oneDNN's
     * brgconv_1x1 with output sizes that are not a multiple of its weight block): the pinned layout
     * must compute the same values and gradients as the GEMM — the kernel itself, not just the route
     * (whose probe would otherwise hide a wrong kernel behind the fallback).
     */
    @Test
    void convolutionRouteComputesTheSameLinearMapAndGradientsAsTheGemm() {
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        KernelProbe.Kernel rawConvolution = LinearKernel::conv;
        int[][] shapes = {{2, 150, 300, 260}, {1, 131, 256, 272}, {1, 128, 256, 400}, {1, 133, 160, 1000}};
        for (int[] sh : shapes) {
            Shape x = new Shape(sh[0], sh[1], sh[2]);
            float[][] gemm = run(LinearKernel.Route.GEMM, x, sh[3]);
            float[][] conv = run((xx, w, b) -> rawConvolution.apply(xx.reshape(-1, sh[2]), w, b)
                    .reshape(sh[0], sh[1], sh[3]), x, sh[3]);
            float[][] route = run(LinearKernel.Route.CONV, x, sh[3]);
            for (int i = 0; i < names.length; i++) {
                assertClose(gemm[i], conv[i], x + " → " + sh[3] + ": " + names[i]);
                assertClose(gemm[i], route[i], x + " → " + sh[3] + " (route): " + names[i]);
            }
        }
    }

    @Test
    void theRouteFallsBackToTheGemmWithOneWarningWhenTheProbeFindsTheKernelWrong() {
        List<String> warnings = new ArrayList<>();
        int[] calls = {0};
        // wrong only in the last output feature, as the oneDNN kernel was in its padded output block
        KernelProbe.Kernel wrongTail = (x, w, b) -> {
            calls[0]++;
            NDArray y = LinearKernel.gemm(x, w, b);
            long out = w.getShape().get(0);
            float[] shift = new float[(int) out];
            shift[shift.length - 1] = 0.5f;
            return y.add(x.getManager().create(shift));
        };
        KernelProbe probe = new KernelProbe(wrongTail, LinearKernel::gemm, "test kernel", warnings::add);
        Shape x = new Shape(2, 70, 96);
        float[][] gemm = run(LinearKernel.Route.GEMM, x, 40);
        float[][] viaRoute = run((xx, w, b) -> LinearKernel.apply(xx, w, b, LinearKernel.Route.CONV, probe), x, 40);
        float[][] again = run((xx, w, b) -> LinearKernel.apply(xx, w, b, LinearKernel.Route.CONV, probe), x, 40);
        for (int i = 0; i < gemm.length; i++) {
            assertArrayEquals(gemm[i], viaRoute[i]); // the GEMM itself, not the wrong kernel
            assertArrayEquals(gemm[i], again[i]);
        }
        assertEquals(1, calls[0], "probed once per shape class, then remembered");
        assertEquals(List.of("dialtune: warning: the test kernel computes x·Wᵀ+b for 96 → 40 features differently"
                + " from the GEMM on this machine (y: max |Δ| 0.500 for values up to 2.16; probed with 140 rows);"
                + " using the GEMM for these shapes (DIALTUNE_LINEAR=gemm skips the check)"), warnings);
    }

    @Test
    void probeAcceptsAnAgreeingKernelAndRejectsNaN() {
        List<String> warnings = new ArrayList<>();
        KernelProbe agreeing = new KernelProbe(LinearKernel::conv, LinearKernel::gemm, "convolution", warnings::add);
        assertTrue(agreeing.verified(300, 300, 260, true));
        assertTrue(agreeing.verified(20, 32, 48, false));
        assertEquals(List.of(), warnings);
        KernelProbe nan = new KernelProbe((x, w, b) -> { NDArray y = LinearKernel.gemm(x, w, b); return y.sub(y).div(y.sub(y)); },
                LinearKernel::gemm, "nan kernel", warnings::add);
        assertFalse(nan.verified(20, 32, 48, false));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("(y: max |Δ| NaN for values up to"), warnings.get(0));
    }

    @Test
    void theRouteLeavesTheCallersGradModeAlone() {
        NDManager.newBaseManager().close(); // libtorch loaded
        boolean before = JniUtils.isGradMode();
        KernelProbe probe = new KernelProbe(LinearKernel::conv, LinearKernel::gemm, "convolution", s -> {});
        probe.verified(20, 32, 48, false);
        assertEquals(before, JniUtils.isGradMode());
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
    void autoRoutePicksConvolutionOnlyForLargeProductsThatLibtorchGivesToOneDnn() {
        Device cpu = Device.cpu();
        assertTrue(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 1024, 768, 3072, 2));
        assertTrue(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 256, 768, 50265, 2));
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 8, 768, 50265, 2)); // a greedy step
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 32, 768, 3072, 2)); // a 4-beam step of 8 sources
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 1024, 32, 32, 2)); // a tiny model
        // one thread: libtorch would run its slow im2col path, not oneDNN
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, cpu, 1024, 768, 3072, 1));
        assertFalse(LinearKernel.useConv(LinearKernel.Route.AUTO, Device.gpu(), 1024, 768, 3072, 2));
        assertFalse(LinearKernel.useConv(LinearKernel.Route.GEMM, cpu, 1024, 768, 3072, 2));
        assertTrue(LinearKernel.useConv(LinearKernel.Route.CONV, cpu, 8, 32, 32, 2));
        assertTrue(LinearKernel.oneDnnTakes(81, 256, 2)); // 20,736 values
        assertFalse(LinearKernel.oneDnnTakes(80, 256, 2)); // 20,480: libtorch's slow path
        assertFalse(LinearKernel.oneDnnTakes(1024, 768, 1));
    }

    @Test
    void unknownRouteIsAUserError() {
        assertEquals(LinearKernel.Route.AUTO, LinearKernel.parse(null));
        assertEquals(LinearKernel.Route.GEMM, LinearKernel.parse(" gemm "));
        UserError e = assertThrows(UserError.class, () -> LinearKernel.parse("mkl"));
        assertEquals("dialtune.linear / DIALTUNE_LINEAR: unknown value \"mkl\" (use auto, gemm or conv)", e.getMessage());
    }
}
