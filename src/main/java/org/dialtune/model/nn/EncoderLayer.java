package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * A transformer encoder layer: self-attention, then the feed-forward block, each a residual sublayer
 * with its norm where {@link NormPlacement} puts it (BART: post-LN; T5: pre-LN).
 */
public final class EncoderLayer {
    private final Attention selfAttn;
    private final Norm selfAttnNorm;
    private final FeedForward ffn;
    private final Norm ffnNorm;
    private final NormPlacement placement;

    public EncoderLayer(Attention selfAttn, Norm selfAttnNorm, FeedForward ffn, Norm ffnNorm, NormPlacement placement) {
        this.selfAttn = selfAttn;
        this.selfAttnNorm = selfAttnNorm;
        this.ffn = ffn;
        this.ffnNorm = ffnNorm;
        this.placement = placement;
    }

    /** {@code mask} is additive over the scores (padding, plus any position bias), or null. */
    public NDArray forward(NDArray h, NDArray mask, float dropout, boolean training) {
        return Temporaries.freedAfter(training, () -> {
            NDArray a = placement.residual(h, selfAttnNorm,
                    x -> selfAttn.attend(x, selfAttn.keys(x, training), selfAttn.values(x, training), mask, training), dropout, training);
            return placement.residual(a, ffnNorm, x -> ffn.apply(x, training), dropout, training);
        });
    }
}
