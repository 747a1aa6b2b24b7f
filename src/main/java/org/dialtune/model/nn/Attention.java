package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * HF BartAttention (eager path): q = (x·Wqᵀ + bq)·head_dim^-0.5, scores + additive mask, softmax,
 * dropout, ·v, out_proj. Keys and values are taken separately so the decoder can cache them.
 */
public final class Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final int heads;
    private final float scaling;
    private final float dropout;

    public Attention(Linear q, Linear k, Linear v, Linear out, int heads, int headDim, float dropout) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.heads = heads;
        this.scaling = (float) Math.pow(headDim, -0.5);
        this.dropout = dropout;
    }

    /** Keys of {@code source} [B, S, D] as [B, H, S, dh]. */
    public NDArray keys(NDArray source) {
        return splitHeads(k.apply(source));
    }

    /** Values of {@code source} [B, S, D] as [B, H, S, dh]. */
    public NDArray values(NDArray source) {
        return splitHeads(v.apply(source));
    }

    /**
     * Attends from {@code x} [B, T, D] over keys/values [B, H, S, dh]; {@code mask} is additive and
     * broadcastable to [B, H, T, S] (0 = visible, float min = hidden), or null.
     */
    public NDArray attend(NDArray x, NDArray keys, NDArray values, NDArray mask, boolean training) {
        Shape s = x.getShape();
        NDArray query = splitHeads(Scalars.mul(q.apply(x), scaling));
        NDArray scores = query.matMul(keys.transpose(0, 1, 3, 2));
        if (mask != null) scores = scores.add(mask);
        NDArray probs = Dropout.apply(scores.softmax(-1), dropout, training);
        NDArray context = probs.matMul(values);
        // one position (a generation step): [B, H, 1, dh] already has [B, 1, D]'s memory layout
        if (s.get(1) != 1) context = context.transpose(0, 2, 1, 3);
        context = context.reshape(s.get(0), s.get(1), s.get(2));
        return out.apply(context);
    }

    /**
     * [B, T, D] → [B, H, T, dh], contiguous (HF's {@code _shape(...).contiguous()}): the reshape after the
     * transpose copies once. As a strided view, every matmul over it copied it again; for the
     * cross-attention keys and values cached during generation that was a copy per decoding step
     * (28% of bart-base's greedy generation time).
     */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        long dh = s.get(2) / heads;
        if (t == 1) return x.reshape(b, heads, 1, dh); // a generation step: the same memory, one view
        return x.reshape(b, t, heads, dh).transpose(0, 2, 1, 3).reshape(b * heads, t, dh).reshape(b, heads, t, dh);
    }
}
