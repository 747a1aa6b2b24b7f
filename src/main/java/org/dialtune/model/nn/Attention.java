package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head attention as HF's eager path computes it: q = (x·Wqᵀ + bq)·scaling, scores + an additive
 * term (padding or causal mask, and any position bias), softmax, dropout, ·v, output projection.
 * BART scales by head_dim^-0.5; T5 does not scale (its scaling is 1) and its heads·d_kv need not be
 * d_model. Keys and values are taken separately so the decoder can cache them.
 */
public final class Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final int heads;
    private final int headDim;
    private final float scaling;
    private final float dropout;

    /** BART's attention: d_model split into heads, queries scaled by head_dim^-0.5. */
    public Attention(Linear q, Linear k, Linear v, Linear out, int heads, int headDim, float dropout) {
        this(q, k, v, out, heads, headDim, (float) Math.pow(headDim, -0.5), dropout);
    }

    /** {@code heads} of {@code headDim} (the projections' width is their product), queries times {@code scaling}. */
    public Attention(Linear q, Linear k, Linear v, Linear out, int heads, int headDim, float scaling, float dropout) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.heads = heads;
        this.headDim = headDim;
        this.scaling = scaling;
        this.dropout = dropout;
    }

    /** Keys of {@code source} [B, S, D] as [B, H, S, dh]. */
    public NDArray keys(NDArray source) {
        return keys(source, false);
    }

    /** As above; {@code training} reaches the projection's adapter (its dropout). */
    public NDArray keys(NDArray source, boolean training) {
        return splitHeads(k.apply(source, training));
    }

    /** Values of {@code source} [B, S, D] as [B, H, S, dh]. */
    public NDArray values(NDArray source) {
        return values(source, false);
    }

    /** As above; {@code training} reaches the projection's adapter (its dropout). */
    public NDArray values(NDArray source, boolean training) {
        return splitHeads(v.apply(source, training));
    }

    /**
     * Attends from {@code x} [B, T, D] over keys/values [B, H, S, dh]; {@code mask} is additive and
     * broadcastable to [B, H, T, S] (0 = visible, float min = hidden, plus any position bias), or null.
     */
    public NDArray attend(NDArray x, NDArray keys, NDArray values, NDArray mask, boolean training) {
        Shape s = x.getShape();
        if (keys.getShape().get(0) == 1 && s.get(0) > 1) return attendShared(x, keys, values, mask, training);
        NDArray projected = q.apply(x, training);
        NDArray query = splitHeads(scaling == 1f ? projected : Scalars.mul(projected, scaling));
        NDArray scores = query.matMul(keys.transpose(0, 1, 3, 2));
        if (mask != null) scores = scores.add(mask);
        NDArray probs = Dropout.apply(scores.softmax(-1), dropout, training);
        NDArray context = probs.matMul(values);
        // one position (a generation step): [B, H, 1, dh] already has [B, 1, H·dh]'s memory layout
        if (s.get(1) != 1) context = context.transpose(0, 2, 1, 3);
        context = context.reshape(s.get(0), s.get(1), (long) heads * headDim);
        return out.apply(context, training);
    }

    /**
     * Every row of {@code x} [B, T, D] attends over the same keys/values [1, H, S, dh] (the options of
     * one source, scored over its cross-attention keys/values computed once): the B·T queries are
     * folded into one batch row, [1, H, B·T, dh], so the products read the keys and values once instead
     * of expanding them to B copies. {@code mask} must broadcast over [1, H, B·T, S] (a source's padding).
     */
    private NDArray attendShared(NDArray x, NDArray keys, NDArray values, NDArray mask, boolean training) {
        Shape s = x.getShape();
        long rows = s.get(0) * s.get(1);
        NDArray projected = q.apply(x, training);
        if (scaling != 1f) projected = Scalars.mul(projected, scaling);
        NDArray query = projected.reshape(rows, heads, headDim).transpose(1, 0, 2).expandDims(0);
        NDArray scores = query.matMul(keys.transpose(0, 1, 3, 2));
        if (mask != null) scores = scores.add(mask);
        NDArray probs = Dropout.apply(scores.softmax(-1), dropout, training);
        NDArray context = probs.matMul(values).squeeze(0).transpose(1, 0, 2); // [B·T, H, dh]
        return out.apply(context.reshape(s.get(0), s.get(1), (long) heads * headDim), training);
    }

    /**
     * [B, T, H·dh] → [B, H, T, dh], contiguous (HF's {@code _shape(...).contiguous()}): the reshape after the
     * transpose copies once. As a strided view, every matmul over it copied it again; for the
     * cross-attention keys and values cached during generation that was a copy per decoding step
     * (28% of bart-base's greedy generation time).
     */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        if (t == 1) return x.reshape(b, heads, 1, headDim); // a generation step: the same memory, one view
        return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3).reshape(b * heads, t, headDim)
                .reshape(b, heads, t, headDim);
    }
}
