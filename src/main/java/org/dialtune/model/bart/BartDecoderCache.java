package org.dialtune.model.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.dialtune.model.DecoderCache;

/**
 * BART's incremental decoding state: per decoder layer the self-attention keys/values of the
 * positions fed so far and the cross-attention keys/values of the encoder states (computed once),
 * plus the encoder padding mask. All arrays live in the cache's own manager, closed with it.
 */
final class BartDecoderCache implements DecoderCache {
    private final NDManager manager;
    private final List<DecoderLayer.LayerCache> layers;
    private NDArray crossMask;
    private int length;
    /** Which encoder row each cache row attends to: cross keys/values depend on nothing else. */
    private long[] sourceRows;

    BartDecoderCache(NDManager manager, List<DecoderLayer.LayerCache> layers, NDArray crossMask, int batch) {
        this.manager = manager;
        this.layers = layers;
        this.crossMask = crossMask;
        this.sourceRows = new long[batch];
        for (int i = 0; i < batch; i++) sourceRows[i] = i;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void selectRows(NDArray rows) {
        long[] r = rows.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        long[] newSources = new long[r.length];
        for (int i = 0; i < r.length; i++) newSources[i] = sourceRows[(int) r[i]];
        // Beam search reorders beams within each input every step: the rows then still attend to the
        // same encoder rows, and copying the (large) cross-attention keys/values can be skipped.
        boolean crossUnchanged = java.util.Arrays.equals(newSources, sourceRows);
        NDArray idx = rows.toDevice(manager.getDevice(), false);
        for (DecoderLayer.LayerCache c : layers) {
            if (!crossUnchanged) {
                c.crossKeys = pick(c.crossKeys, idx);
                c.crossValues = pick(c.crossValues, idx);
            }
            c.selfKeys = pick(c.selfKeys, idx);
            c.selfValues = pick(c.selfValues, idx);
        }
        if (!crossUnchanged) crossMask = pick(crossMask, idx);
        sourceRows = newSources;
        if (idx != rows) idx.close();
    }

    /** Rows {@code idx} of {@code a} (index_select on dim 0) in the cache's manager; the old array is closed. */
    private NDArray pick(NDArray a, NDArray idx) {
        if (a == null) return null;
        NDArray r = a.get(manager, new ai.djl.ndarray.index.NDIndex("{}", idx));
        a.close();
        return r;
    }

    NDManager manager() {
        return manager;
    }

    DecoderLayer.LayerCache layer(int i) {
        return layers.get(i);
    }

    NDArray crossMask() {
        return crossMask;
    }

    void advance(int n) {
        length += n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
