package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * A transformer decoder layer: causal self-attention, cross-attention over the encoder states, the
 * feed-forward block, each a residual sublayer with its norm where {@link NormPlacement} puts it.
 * With a {@link LayerCache} the new keys/values are appended to the cached ones and the
 * cross-attention keys/values come from the cache.
 */
public final class DecoderLayer {
    private final Attention selfAttn;
    private final Norm selfAttnNorm;
    private final Attention crossAttn;
    private final Norm crossAttnNorm;
    private final FeedForward ffn;
    private final Norm ffnNorm;
    private final NormPlacement placement;

    public DecoderLayer(Attention selfAttn, Norm selfAttnNorm, Attention crossAttn, Norm crossAttnNorm, FeedForward ffn,
                        Norm ffnNorm, NormPlacement placement) {
        this.selfAttn = selfAttn;
        this.selfAttnNorm = selfAttnNorm;
        this.crossAttn = crossAttn;
        this.crossAttnNorm = crossAttnNorm;
        this.ffn = ffn;
        this.ffnNorm = ffnNorm;
        this.placement = placement;
    }

    /** Keys/values kept for one layer during incremental decoding, all [B, H, len, dh]. */
    public static final class LayerCache {
        NDArray selfKeys;
        NDArray selfValues;
        NDArray crossKeys;
        NDArray crossValues;
    }

    public LayerCache startCache(NDArray encoderStates) {
        LayerCache c = new LayerCache();
        c.crossKeys = crossAttn.keys(encoderStates);
        c.crossValues = crossAttn.values(encoderStates);
        return c;
    }

    /**
     * Teacher-forced pass over all positions (no cache); the masks are additive over the scores
     * (causal or padding, plus any position bias), or null.
     */
    public NDArray forward(NDArray h, NDArray selfMask, NDArray encoderStates, NDArray crossMask, float dropout,
                           boolean training) {
        return Temporaries.freedAfter(training, () -> {
            NDArray a = placement.residual(h, selfAttnNorm,
                    x -> selfAttn.attend(x, selfAttn.keys(x, training), selfAttn.values(x, training), selfMask, training), dropout, training);
            a = placement.residual(a, crossAttnNorm, x -> crossAttn.attend(x, crossAttn.keys(encoderStates, training),
                    crossAttn.values(encoderStates, training), crossMask, training), dropout, training);
            return placement.residual(a, ffnNorm, x -> ffn.apply(x, training), dropout, training);
        });
    }

    /**
     * One incremental step for new positions {@code h} [B, t, D]; the cache's self-attention
     * keys/values grow by t. The caller owns the lifetime of the arrays it finds in the cache.
     */
    public NDArray step(NDArray h, NDArray selfMask, LayerCache cache, NDArray crossMask) {
        h = placement.residual(h, selfAttnNorm, x -> {
            NDArray k = selfAttn.keys(x);
            NDArray v = selfAttn.values(x);
            if (cache.selfKeys != null) {
                k = cache.selfKeys.concat(k, 2);
                v = cache.selfValues.concat(v, 2);
            }
            cache.selfKeys = k;
            cache.selfValues = v;
            return selfAttn.attend(x, k, v, selfMask, false);
        }, 0f, false);
        h = placement.residual(h, crossAttnNorm,
                x -> crossAttn.attend(x, cache.crossKeys, cache.crossValues, crossMask, false), 0f, false);
        return placement.residual(h, ffnNorm, x -> ffn.apply(x, false), 0f, false);
    }
}
