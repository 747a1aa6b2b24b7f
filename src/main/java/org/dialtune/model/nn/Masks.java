package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The additive attention masks of HF's eager attention: 0 where a key is visible, float32's minimum where not. */
public final class Masks {
    private Masks() {}

    /** [B, 1, 1, S] hiding the padded keys of {@code attentionMask} [B, S] (1 = token, 0 = pad), or null. */
    public static NDArray keyPadding(NDArray attentionMask) {
        if (attentionMask == null) return null;
        Shape s = attentionMask.getShape();
        return attentionMask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-Float.MAX_VALUE)
                .reshape(s.get(0), 1, 1, s.get(1));
    }

    /** [1, 1, T, T]: position i sees keys 0..i; null for a single position. */
    public static NDArray causal(NDManager m, long t) {
        return causal(m, t, 0);
    }

    /**
     * [1, 1, T, past + T] for T new positions after {@code past} cached ones: new position i sees keys
     * 0..past+i; null for a single position (it sees every key).
     */
    public static NDArray causal(NDManager m, long t, long past) {
        if (t <= 1) return null;
        int n = (int) t;
        int k = (int) (past + t);
        float[] v = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = (int) past + i + 1; j < k; j++) v[i * k + j] = -Float.MAX_VALUE;
        }
        return m.create(v, new Shape(1, 1, t, k));
    }

    /** {@code a + b} where either may be null (no mask). */
    public static NDArray sum(NDArray a, NDArray b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.add(b);
    }
}
