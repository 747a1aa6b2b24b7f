package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * The position-wise feed-forward block (without its residual and norm, which {@link NormPlacement}
 * adds): dense, {@code out(dropout(act(in·x)))} (BART's fc1/fc2, T5 v1.0's wi/wo), or gated,
 * {@code out(dropout(act(in·x) ⊙ gate·x))} (T5 v1.1's wi_0/wi_1/wo).
 */
public record FeedForward(Linear in, Linear gate, Linear out, UnaryOperator<NDArray> activation, float innerDropout) {
    public static FeedForward dense(Linear in, Linear out, UnaryOperator<NDArray> activation, float innerDropout) {
        return new FeedForward(in, null, out, activation, innerDropout);
    }

    public static FeedForward gated(Linear in, Linear gate, Linear out, UnaryOperator<NDArray> activation,
                                    float innerDropout) {
        return new FeedForward(in, gate, out, activation, innerDropout);
    }

    /** The block on {@code x}; the inner activations stay in the layout the products prefer ({@link ActivationLayout}). */
    public NDArray apply(NDArray x, boolean training) {
        ActivationLayout layout = ActivationLayout.of(this, x);
        NDArray v = layout.enter(x);
        NDArray a = activation.apply(layout.product(in, v, training));
        if (gate != null) a = a.mul(layout.product(gate, v, training));
        return layout.leave(layout.product(out, Dropout.apply(a, innerDropout, training), training));
    }
}
