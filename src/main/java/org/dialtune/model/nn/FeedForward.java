package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * BART's feed-forward block with its residual and post-LN: h = LN(h + fc2(act(fc1(h)))), shared by
 * encoder and decoder layers.
 */
public record FeedForward(Linear fc1, Linear fc2, LayerNorm norm, UnaryOperator<NDArray> activation,
                          float activationDropout) {
    public NDArray forward(NDArray h, float dropout, boolean training) {
        NDArray f = Dropout.apply(activation.apply(fc1.apply(h)), activationDropout, training);
        f = Dropout.apply(fc2.apply(f), dropout, training);
        return norm.apply(h.add(f));
    }
}
