package org.dialtune.model.bart;

import ai.djl.ndarray.NDArray;
import org.dialtune.model.nn.Attention;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.nn.FeedForward;
import org.dialtune.model.nn.LayerNorm;

/**
 * HF BartDecoderLayer, post-LN: causal self-attention, cross-attention over the encoder states,
 * feed-forward. With a {@link LayerCache} the new keys/values are appended to the cached ones and
 * the cross-attention keys/values come from the cache.
 */
final class DecoderLayer {
    private final Attention selfAttn;
    private final LayerNorm selfAttnNorm;
    private final Attention crossAttn;
    private final LayerNorm crossAttnNorm;
    private final FeedForward ffn;

    DecoderLayer(Attention selfAttn, LayerNorm selfAttnNorm, Attention crossAttn, LayerNorm crossAttnNorm,
                 FeedForward ffn) {
        this.selfAttn = selfAttn;
        this.selfAttnNorm = selfAttnNorm;
        this.crossAttn = crossAttn;
        this.crossAttnNorm = crossAttnNorm;
        this.ffn = ffn;
    }

    /** Keys/values kept for one layer during incremental decoding, all [B, H, len, dh]. */
    static final class LayerCache {
        NDArray selfKeys;
        NDArray selfValues;
        NDArray crossKeys;
        NDArray crossValues;
    }

    LayerCache startCache(NDArray encoderStates) {
        LayerCache c = new LayerCache();
        c.crossKeys = crossAttn.keys(encoderStates);
        c.crossValues = crossAttn.values(encoderStates);
        return c;
    }

    /** Teacher-forced pass over all positions (no cache). */
    NDArray forward(NDArray h, NDArray causalMask, NDArray encoderStates, NDArray crossMask, float dropout,
                    boolean training) {
        NDArray a = selfAttn.attend(h, selfAttn.keys(h), selfAttn.values(h), causalMask, training);
        h = selfAttnNorm.apply(h.add(Dropout.apply(a, dropout, training)));
        NDArray c = crossAttn.attend(h, crossAttn.keys(encoderStates), crossAttn.values(encoderStates), crossMask,
                training);
        h = crossAttnNorm.apply(h.add(Dropout.apply(c, dropout, training)));
        return ffn.forward(h, dropout, training);
    }

    /**
     * One incremental step for new positions {@code h} [B, t, D]; the cache's self-attention
     * keys/values grow by t. The caller owns the lifetime of the arrays it finds in the cache.
     */
    NDArray step(NDArray h, NDArray causalMask, LayerCache cache, NDArray crossMask) {
        NDArray k = selfAttn.keys(h);
        NDArray v = selfAttn.values(h);
        if (cache.selfKeys != null) {
            k = cache.selfKeys.concat(k, 2);
            v = cache.selfValues.concat(v, 2);
        }
        cache.selfKeys = k;
        cache.selfValues = v;
        NDArray a = selfAttn.attend(h, k, v, causalMask, false);
        h = selfAttnNorm.apply(h.add(a));
        NDArray c = crossAttn.attend(h, cache.crossKeys, cache.crossValues, crossMask, false);
        h = crossAttnNorm.apply(h.add(c));
        return ffn.forward(h, 0f, false);
    }
}
