package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * T5's learned relative position bias (HF {@code T5Attention.compute_bias}): each (query, key) pair
 * falls into a bucket by its distance {@code key - query}, and each bucket has one learned score per
 * head ({@code relative_attention_bias.weight} {@code [buckets, heads]}), added to the attention
 * scores. Half the buckets are exact distances, the rest logarithmically wider up to
 * {@code maxDistance}; bidirectional (encoder) bias spends half the buckets on each direction, causal
 * (decoder) bias only looks back. Computed once per forward pass and shared by every layer.
 */
public final class RelativePositionBias {
    private final NDArray table;
    private final boolean bidirectional;
    private final int numBuckets;
    private final int maxDistance;

    public RelativePositionBias(NDArray table, boolean bidirectional, int numBuckets, int maxDistance) {
        this.table = table;
        this.bidirectional = bidirectional;
        this.numBuckets = numBuckets;
        this.maxDistance = maxDistance;
    }

    /**
     * The bias {@code [1, H, q, k]} for {@code q} queries at positions {@code past .. past+q-1} over
     * {@code k} keys at positions {@code 0 .. k-1}, created on {@code m}.
     */
    public NDArray bias(NDManager m, int q, int k, int past) {
        long[] buckets = new long[q * k];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < k; j++) buckets[i * k + j] = bucket(j - (i + past), bidirectional, numBuckets, maxDistance);
        }
        NDArray ids = m.create(buckets, new Shape(q, k));
        NDArray values = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
        return values.transpose(2, 0, 1).expandDims(0); // [q, k, H] -> [1, H, q, k]
    }

    /**
     * HF {@code T5Attention._relative_position_bucket} for one relative position (key minus query),
     * with its float32 arithmetic: the logarithmic bucket is truncated toward zero.
     */
    public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int buckets = numBuckets;
        int result = 0;
        int n;
        if (bidirectional) {
            buckets /= 2;
            if (relativePosition > 0) result += buckets;
            n = Math.abs(relativePosition);
        } else {
            n = -Math.min(relativePosition, 0);
        }
        int maxExact = buckets / 2;
        if (n < maxExact) return result + n;
        float scaled = (float) Math.log((float) n / maxExact);
        scaled /= (float) Math.log((double) maxDistance / maxExact);
        scaled *= buckets - maxExact;
        return result + Math.min(maxExact + (int) scaled, buckets - 1);
    }
}
