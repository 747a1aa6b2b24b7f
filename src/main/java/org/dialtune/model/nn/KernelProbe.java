package org.dialtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Checks, on the machine it runs on, that a fast kernel for y = x·Wᵀ + b computes what the reference
 * (libtorch's GEMM) computes — output and the gradients of x, W and b — before the fast one is used
 * for a shape class, and remembers the verdict. A kernel that disagrees is never used for that class
 * again in this process and one warning line says so.
 *
 * <p>Why: oneDNN (inside libtorch) picks its implementation by CPU and shape, and one of them,
 * {@code brgconv_1x1:avx512_core} in libtorch 2.7.1, returned wrong values on AVX-512 machines for
 * output sizes that are not a multiple of its weight block (README "Performance"). The layout
 * {@link LinearKernel} uses avoids that implementation; this probe makes sure no other one slips
 * through on another CPU. Cost: one forward and backward of both kernels on random data at the first
 * use of each class (tens of milliseconds per class for bart-base's projections, about a second for
 * its LM head), nothing afterwards.
 */
final class KernelProbe {
    /** y = x·Wᵀ + b for x [rows, in], W [out, in], b [out]. */
    interface Kernel {
        NDArray apply(NDArray x, NDArray weight, NDArray bias);
    }

    /**
     * Agreement allowed: max |Δ| within this fraction of the largest reference magnitude, per quantity.
     * Summation order moves float32 results by ~1e-6 of that here; the wrong kernel was off by ~0.3.
     */
    static final double TOLERANCE = 1e-4;

    private record ShapeClass(long in, long out, boolean oneDnn) {}

    private final Kernel candidate;
    private final Kernel reference;
    private final String candidateName;
    private final Consumer<String> warnings;
    private final ConcurrentMap<ShapeClass, Boolean> verdicts = new ConcurrentHashMap<>();

    KernelProbe(Kernel candidate, Kernel reference, String candidateName, Consumer<String> warnings) {
        this.candidate = candidate;
        this.reference = reference;
        this.candidateName = candidateName;
        this.warnings = warnings;
    }

    /**
     * Whether the candidate may compute products with {@code in} → {@code out} features; the first
     * call for a class probes it with {@code rows} rows. {@code oneDnn} separates the shapes libtorch
     * sends to different backends (see {@link LinearKernel#oneDnnTakes}), which are checked apart.
     */
    boolean verified(long rows, long in, long out, boolean oneDnn) {
        return verdicts.computeIfAbsent(new ShapeClass(in, out, oneDnn), c -> probe(rows, in, out));
    }

    private boolean probe(long rows, long in, long out) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) { // (also loads libtorch before JniUtils)
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(true); // the probe needs its own small graph, also during inference
            try {
                return probe(m, rows, in, out);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }
    }

    private boolean probe(NDManager m, long rows, long in, long out) {
        SplittableRandom random = new SplittableRandom(rows * 31 + in * 7 + out);
        NDArray x = uniform(m, random, new Shape(rows, in), 1);
        NDArray w = uniform(m, random, new Shape(out, in), 1 / Math.sqrt(in));
        NDArray b = uniform(m, random, new Shape(out), 1);
        NDArray cotangent = uniform(m, random, new Shape(rows, out), 1);
        for (NDArray p : new NDArray[] {x, w, b}) p.setRequiresGradient(true);
        NDArray[] expected = run(reference, x, w, b, cotangent, true);
        NDArray[] actual = run(candidate, x, w, b, cotangent, false);
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        for (int i = 0; i < names.length; i++) {
            String disagreement = disagreement(expected[i], actual[i]);
            if (disagreement != null) {
                warnings.accept(String.format(Locale.ROOT, "dialtune: warning: the %s computes x·Wᵀ+b for %d → %d"
                        + " features differently from the GEMM on this machine (%s: %s; probed with %d rows);"
                        + " using the GEMM for these shapes (DIALTUNE_LINEAR=gemm skips the check)",
                        candidateName, in, out, names[i], disagreement, rows));
                return false;
            }
        }
        return true;
    }

    /**
     * y and the gradients of x, W, b for the loss sum(y · cotangent). The leaves are shared by both
     * runs (the LM head's W is 150 MB or more): the first run's gradients are copied and zeroed.
     */
    private static NDArray[] run(Kernel kernel, NDArray x, NDArray w, NDArray b, NDArray cotangent, boolean first) {
        NDArray y = kernel.apply(x, w, b);
        JniUtils.backward((PtNDArray) y, (PtNDArray) cotangent, false, false);
        NDArray[] out = {y.stopGradient(), x.getGradient(), w.getGradient(), b.getGradient()};
        if (first) {
            for (int i = 1; i < out.length; i++) out[i] = out[i].duplicate();
            for (NDArray p : new NDArray[] {x, w, b}) JniUtils.zeroGrad((PtNDArray) p);
        }
        return out;
    }

    /**
     * null when max |Δ| is within {@link #TOLERANCE} of the largest expected magnitude, else what
     * differs; a NaN anywhere is a difference (libtorch's max propagates it). Computed natively: the
     * LM head's gradients are hundreds of MB.
     */
    static String disagreement(NDArray expected, NDArray actual) {
        if (!expected.getShape().equals(actual.getShape())) {
            return "shape " + actual.getShape() + " instead of " + expected.getShape();
        }
        double worst = expected.sub(actual).abs().max().getFloat();
        double scale = expected.abs().max().getFloat();
        if (worst <= TOLERANCE * scale) return null;
        return String.format(Locale.ROOT, "max |Δ| %.3g for values up to %.3g", worst, scale);
    }

    private static NDArray uniform(NDManager m, SplittableRandom random, Shape shape, double scale) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        return m.create(v, shape);
    }
}
