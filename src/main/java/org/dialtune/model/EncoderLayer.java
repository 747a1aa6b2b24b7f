package org.dialtune.model;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/** HF BartEncoderLayer, post-LN: h = LN(h + SelfAttn(h)); h = LN(h + fc2(act(fc1(h)))). */
final class EncoderLayer {
    private final Attention selfAttn;
    private final LayerNorm selfAttnNorm;
    private final FeedForward ffn;

    EncoderLayer(Attention selfAttn, LayerNorm selfAttnNorm, FeedForward ffn) {
        this.selfAttn = selfAttn;
        this.selfAttnNorm = selfAttnNorm;
        this.ffn = ffn;
    }

    NDArray forward(NDArray h, NDArray mask, float dropout, boolean training) {
        NDArray a = selfAttn.attend(h, selfAttn.keys(h), selfAttn.values(h), mask, training);
        h = selfAttnNorm.apply(h.add(Dropout.apply(a, dropout, training)));
        return ffn.forward(h, dropout, training);
    }

    /** The feed-forward block with its residual and LayerNorm, shared by encoder and decoder layers. */
    record FeedForward(Linear fc1, Linear fc2, LayerNorm norm, UnaryOperator<NDArray> activation,
                       float activationDropout) {
        NDArray forward(NDArray h, float dropout, boolean training) {
            NDArray f = Dropout.apply(activation.apply(fc1.apply(h)), activationDropout, training);
            f = Dropout.apply(fc2.apply(f), dropout, training);
            return norm.apply(h.add(f));
        }
    }
}
