package org.dialtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.dialtune.common.UserError;
import org.dialtune.model.Precision;

/**
 * y = x·Wᵀ + b, computed by whichever libtorch kernel is faster for the shape, with the same float32
 * result up to summation order.
 *
 * <p>Why not always {@code linear}: on CPU, libtorch's fp32 GEMM is oneMKL, which on AMD processors
 * runs its AVX2 code even where AVX-512 exists; libtorch's oneDNN convolution has no such vendor
 * check. A 1×1 convolution over x seen as an image is exactly x·Wᵀ + b, and on the AMD EPYC (Zen 5)
 * development machine it ran bart-base's FFN and LM-head projections 1.3–1.7× faster forward and backward
 * ({@code dialtune bench}, README "Performance"). Small products (generation steps, tiny models) keep
 * the GEMM, where the convolution's fixed cost would dominate: at 32 rows (a 4-beam step of 8
 * sources) a loop over one projection favoured the convolution (768 → 3072: 0.95 against 1.56 ms), but
 * inside beam search, where every projection's weights come cold from memory, it took 1.1–4.6 ms
 * against the GEMM's 1.8 ms (libtorch profiles), so the threshold stays at 128 rows. The choice
 * depends only on the shapes and the machine, so a run is deterministic;
 * {@code -Ddialtune.linear=gemm|conv|auto} (or {@code DIALTUNE_LINEAR}) forces one route.
 *
 * <p>Which convolution runs is pinned, and checked. libtorch 2.7.1 hands a float32 1×1 convolution of
 * one image to oneDNN only when the image has more than 20,480 values and more than one intra-op
 * thread runs ({@code use_mkldnn} in ATen's ConvUtils.h); otherwise to its slow im2col path (which
 * also prints "Could not initialize NNPACK!" on every call on CPUs NNPACK does not know). Given a
 * channels-last image, oneDNN picks {@code brgconv_1x1:avx512_core} on AVX-512 CPUs, whose forward
 * pass is wrong when the output size is not a multiple of its weight block (260 or 50,265 features:
 * errors of 30% of the largest value); given a contiguous (NCHW) image it picks the blocked
 * {@code jit_1x1} kernel, right for every shape we tried. So x is copied into a contiguous [1, in, rows, 1]
 * image, and {@link KernelProbe} compares the route with the GEMM (output and gradients) at the first
 * use of each shape class on the machine itself, falling back to the GEMM with one warning line.
 * A feed-forward block whose two products both take the route keeps its inner activations in the
 * image between them ({@link ActivationLayout}), skipping the copies out of and back into it.
 */
public final class LinearKernel {
    enum Route { AUTO, GEMM, CONV }

    /** Rows (tokens) and both feature sizes from which the convolution route pays off (measured, see above). */
    static final long MIN_ROWS = 128;
    static final long MIN_FEATURES = 256;

    /** Verdicts on the convolution route for the shapes met so far in this process. */
    private static final KernelProbe probe = new KernelProbe(LinearKernel::conv, LinearKernel::gemm,
            "convolution route (oneDNN)", System.err::println);

    /** The configured route, read at first use (a bad value is then a UserError, not a class-initialisation failure). */
    private static volatile Route configured;

    private LinearKernel() {}

    static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        return apply(x, weight, bias, configuredRoute());
    }

    /** Whether the route is left to the shapes (not forced by dialtune.linear / DIALTUNE_LINEAR). */
    static boolean routeByShape() {
        return configuredRoute() == Route.AUTO;
    }

    private static Route configuredRoute() {
        Route r = configured;
        if (r == null) configured = r = parse(System.getProperty("dialtune.linear", System.getenv("DIALTUNE_LINEAR")));
        return r;
    }

    /**
     * y = x·Wᵀ + b with the product in {@code precision}: for FP16, float16 copies of x, W and b are
     * multiplied (libtorch's GEMM; the convolution route is float32-only) and y comes back float32.
     */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, Precision precision) {
        if (precision == Precision.FP32) return apply(x, weight, bias, configuredRoute());
        DataType half = precision.matmulType();
        NDManager m = x.getManager();
        NDArray y = apply(Casts.to(x, half, m), Casts.to(weight, half, m), bias == null ? null : Casts.to(bias, half, m),
                Route.GEMM);
        return Casts.to(y, DataType.FLOAT32, m);
    }

    /** As {@link #apply(NDArray, NDArray, NDArray)} with the route given (tests compare the routes). */
    static NDArray apply(NDArray x, NDArray weight, NDArray bias, Route route) {
        return apply(x, weight, bias, route, probe);
    }

    /** As above, with the convolution route's verdicts taken from {@code probe} (tests inject one). */
    static NDArray apply(NDArray x, NDArray weight, NDArray bias, Route route, KernelProbe probe) {
        Shape s = x.getShape();
        long in = s.get(s.dimension() - 1);
        long rows = s.size() / in;
        long out = weight.getShape().get(0);
        // 2-D input: libtorch fuses the bias into the GEMM (addmm); DJL's linear is the C++ frontend's,
        // which runs matmul and a separate bias add for any other rank
        NDArray flat = x.reshape(rows, in);
        NDArray y = useConv(route, probe, x, rows, in, out) ? conv(flat, weight, bias) : gemm(flat, weight, bias);
        return y.reshape(withFeatures(s, out));
    }

    /** {@code shape} with its last dimension (the features) replaced by {@code features}. */
    static Shape withFeatures(Shape shape, long features) {
        long[] dims = shape.getShape().clone(); // getShape() is the array's own, cached shape: never write to it
        dims[dims.length - 1] = features;
        return new Shape(dims);
    }

    /**
     * y = x·Wᵀ + b from an input-major copy Wᵀ [in, out] the caller keeps (libtorch's GEMM reads a
     * vocabulary-wide table faster that way, {@link VocabularyHead}); float32, no route or probe.
     */
    static NDArray applyInputMajor(NDArray x, NDArray weightT, NDArray bias) {
        NDArray y = x.matMul(weightT); // matmul folds x's leading dimensions itself (a view and one mm)
        return bias == null ? y : y.addi(bias);
    }

    private static boolean useConv(Route route, KernelProbe probe, NDArray x, long rows, long in, long out) {
        if (!useConv(route, x.getDevice(), rows, in, out, JniUtils::getNumThreads)) return false;
        return probe.verified(rows, in, out, oneDnnTakes(rows, in, JniUtils.getNumThreads()));
    }

    /** The route by shape alone; {@link KernelProbe} then has the last word. */
    static boolean useConv(Route route, Device device, long rows, long in, long out, int threads) {
        return useConv(route, device, rows, in, out, () -> threads);
    }

    /**
     * As above, asking libtorch for its thread count only when the shape could take the route: every
     * projection of every decoding step passes here, and a JNI call is what a tiny model's step costs.
     */
    private static boolean useConv(Route route, Device device, long rows, long in, long out, IntSupplier threads) {
        if (route == Route.GEMM || !Device.Type.CPU.equals(device.getDeviceType())) return false;
        if (route == Route.CONV) return true; // forced: also where libtorch runs its slow path (tests use that)
        return rows >= MIN_ROWS && in >= MIN_FEATURES && out >= MIN_FEATURES
                && oneDnnTakes(rows, in, threads.getAsInt());
    }

    /**
     * Whether libtorch 2.7.1 gives the convolution of a float32 [1, in, rows, 1] image with 1×1 kernels
     * to oneDNN ({@code ConvParams::use_mkldnn}: one image with a 1×1 kernel needs more than one thread
     * and more than 20,480 input values); otherwise it takes the slow im2col path.
     */
    static boolean oneDnnTakes(long rows, long in, int threads) {
        return threads > 1 && rows * in > 20_480;
    }

    static NDArray gemm(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /** x [rows, in] through the convolution route: into an image, convolved, back to [rows, out]. */
    static NDArray conv(NDArray x, NDArray weight, NDArray bias) {
        return fromImage(convImage(toImage(x), weight, bias));
    }

    /**
     * Whether x·Wᵀ + b for x of {@code rows} × {@code in} and {@code out} features takes the
     * convolution route (configured route, shape and the probe's verdict), as {@link #apply} decides.
     */
    static boolean convolves(NDArray x, long rows, long in, long out) {
        return useConv(configuredRoute(), probe, x, rows, in, out);
    }

    /** x [rows, in] copied into a contiguous image [1, in, rows, 1] (NCHW: oneDNN's blocked 1×1 kernel, see above). */
    static NDArray toImage(NDArray x) {
        long rows = x.getShape().get(0);
        long in = x.getShape().get(1);
        return transposedCopy(x).reshape(1, in, rows, 1);
    }

    /** An image [1, in, rows, 1] convolved with W [out, in] as 1×1 kernels, plus b: the image [1, out, rows, 1]. */
    static NDArray convImage(NDArray image, NDArray weight, NDArray bias) {
        NDArray kernels = weight.reshape(weight.getShape().get(0), weight.getShape().get(1), 1, 1);
        kernels.attach(image.getManager()); // a view made from the weight would otherwise stay in the model's manager
        return image.getNDArrayInternal().convolution(image, kernels, bias, UNIT, ZERO, UNIT, 1).singletonOrThrow();
    }

    /** An image [1, out, rows, 1] back as a contiguous [rows, out]. */
    static NDArray fromImage(NDArray y) {
        long out = y.getShape().get(1);
        long rows = y.getShape().get(2);
        return transposedCopy(y.reshape(out, rows)).reshape(rows, out);
    }

    /**
     * The transpose of a matrix, laid out row-major (flat). A transposed view reshaped to one dimension
     * cannot stay a view, so libtorch copies it in row-major order: a layout decided by the data, not by
     * how libtorch guesses a memory format from the strides of a view.
     */
    private static NDArray transposedCopy(NDArray matrix) {
        return matrix.transpose(1, 0).reshape(matrix.getShape().size());
    }

    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);

    static Route parse(String value) {
        if (value == null || value.isBlank()) return Route.AUTO;
        try {
            return Route.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("dialtune.linear / DIALTUNE_LINEAR: unknown value \"" + value
                    + "\" (use auto, gemm or conv)");
        }
    }
}
