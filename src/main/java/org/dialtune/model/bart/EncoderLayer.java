package org.dialtune.model.bart;

import ai.djl.ndarray.NDArray;
import org.dialtune.model.nn.Attention;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.nn.FeedForward;
import org.dialtune.model.nn.LayerNorm;

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
}
