package org.dialtune.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.dialtune.common.UserError;

/**
 * y = x·Wᵀ + b, computed by whichever libtorch kernel is faster for the shape, with the same float32
 * result up to summation order.
 *
 * <p>Why not always {@code linear}: on CPU, libtorch's fp32 GEMM is oneMKL, which on AMD processors
 * runs its AVX2 code even where AVX-512 exists; libtorch's oneDNN convolution has no such vendor
 * check. A 1×1 convolution over a channels-last view of x is exactly x·Wᵀ + b, and on the AMD EPYC
 * (Zen 5) development machine it ran bart-base's projections 1.6–2.3× faster forward and backward
 * ({@code dialtune bench}, README "Performance"). Small products (generation steps, tiny models) keep
 * the GEMM, where the convolution's fixed cost would dominate. The choice depends only on the shapes,
 * so a run is deterministic; {@code -Ddialtune.linear=gemm|conv|auto} (or {@code DIALTUNE_LINEAR})
 * forces one route.
 */
final class LinearKernel {
    enum Route { AUTO, GEMM, CONV }

    /** Rows (tokens) and both feature sizes from which the convolution route pays off (measured, see above). */
    static final long MIN_ROWS = 128;
    static final long MIN_FEATURES = 256;

    /** The configured route, read at first use (a bad value is then a UserError, not a class-initialisation failure). */
    private static volatile Route configured;

    private LinearKernel() {}

    static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        return apply(x, weight, bias, configuredRoute());
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
    static NDArray apply(NDArray x, NDArray weight, NDArray bias, Precision precision) {
        if (precision == Precision.FP32) return apply(x, weight, bias, configuredRoute());
        DataType half = precision.matmulType();
        NDManager m = x.getManager();
        NDArray y = apply(Casts.to(x, half, m), Casts.to(weight, half, m), Casts.to(bias, half, m), Route.GEMM);
        return Casts.to(y, DataType.FLOAT32, m);
    }

    /** As {@link #apply(NDArray, NDArray, NDArray)} with the route given (tests compare the routes). */
    static NDArray apply(NDArray x, NDArray weight, NDArray bias, Route route) {
        Shape s = x.getShape();
        long in = s.get(s.dimension() - 1);
        long rows = s.size() / in;
        long out = weight.getShape().get(0);
        NDArray flat = x.reshape(rows, in); // 2-D input: libtorch fuses the bias into the GEMM (addmm)
        NDArray y = useConv(route, x.getDevice(), rows, in, out) ? conv(flat, weight, bias, rows, in, out)
                : flat.getNDArrayInternal().linear(flat, weight, bias).singletonOrThrow();
        long[] dims = s.getShape().clone(); // getShape() is the array's own, cached shape: never write to it
        dims[dims.length - 1] = out;
        return y.reshape(new Shape(dims));
    }

    static boolean useConv(Route route, Device device, long rows, long in, long out) {
        if (route == Route.GEMM || !Device.Type.CPU.equals(device.getDeviceType())) return false;
        if (route == Route.CONV) return true;
        return rows >= MIN_ROWS && in >= MIN_FEATURES && out >= MIN_FEATURES;
    }

    /**
     * x [rows, in] seen as a channels-last image [1, in, rows, 1] (a view: same memory), W as 1×1
     * kernels [out, in, 1, 1]; the result comes back channels-last, i.e. [rows, out] row-major.
     */
    private static NDArray conv(NDArray x, NDArray weight, NDArray bias, long rows, long in, long out) {
        NDArray image = x.reshape(1, rows, 1, in).transpose(0, 3, 1, 2);
        NDArray kernels = weight.reshape(out, in, 1, 1);
        kernels.attach(x.getManager()); // a view made from the weight would otherwise stay in the model's manager
        NDArray y = x.getNDArrayInternal().convolution(image, kernels, bias, UNIT, ZERO, UNIT, 1).singletonOrThrow();
        return y.transpose(0, 2, 3, 1).reshape(rows, out);
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
