package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.dialtune.model.Precision;

/**
 * Where a {@link FeedForward} block keeps its inner activations between its products.
 *
 * <p>{@link #ROWS}: as rows [..., features], every product through {@link Linear#apply} (any route,
 * adapter or precision). {@link Image}: as the convolution route's image [1, features, rows, 1]
 * ({@link LinearKernel}), entered once before the first product and left once after the last. Each
 * product on the route copies its input into an image and its output back to rows; between fc1 and
 * fc2 those are the two copies of the widest activations (the inner ones, 4 × d_model), and the
 * backward pass has two more. The activation, gate and dropout are element-wise, so they compute the
 * same on either layout.
 */
interface ActivationLayout {
    NDArray enter(NDArray x);

    NDArray product(Linear projection, NDArray v, boolean training);

    NDArray leave(NDArray y);

    ActivationLayout ROWS = new ActivationLayout() {
        @Override
        public NDArray enter(NDArray x) {
            return x;
        }

        @Override
        public NDArray product(Linear projection, NDArray v, boolean training) {
            return projection.apply(v, training);
        }

        @Override
        public NDArray leave(NDArray y) {
            return y;
        }
    };

    /**
     * The image layout where every product of {@code block} on {@code x} would take the convolution
     * route as a plain float32 projection (no adapter: its update is computed on rows); else {@link #ROWS}.
     */
    static ActivationLayout of(FeedForward block, NDArray x) {
        Shape s = x.getShape();
        long in = s.get(s.dimension() - 1);
        long rows = s.size() / in;
        long inner = block.in().weight().getShape().get(0);
        long out = block.out().weight().getShape().get(0);
        boolean image = plain(block.in()) && plain(block.out()) && (block.gate() == null || plain(block.gate()))
                && LinearKernel.convolves(x, rows, in, inner) && LinearKernel.convolves(x, rows, inner, out);
        return image ? new Image(s, rows, in) : ROWS;
    }

    private static boolean plain(Linear projection) {
        return projection.adapter().get() == null && projection.precision().get() == Precision.FP32;
    }

    /** The convolution route's image [1, features, rows, 1] of an input shaped {@code shape}. */
    record Image(Shape shape, long rows, long in) implements ActivationLayout {
        @Override
        public NDArray enter(NDArray x) {
            return LinearKernel.toImage(x.reshape(rows, in));
        }

        @Override
        public NDArray product(Linear projection, NDArray v, boolean training) {
            return LinearKernel.convImage(v, projection.weight(), projection.bias());
        }

        @Override
        public NDArray leave(NDArray y) {
            return LinearKernel.fromImage(y).reshape(LinearKernel.withFeatures(shape, y.getShape().get(1)));
        }
    }
}
