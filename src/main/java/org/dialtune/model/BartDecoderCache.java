package org.dialtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

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

    BartDecoderCache(NDManager manager, List<DecoderLayer.LayerCache> layers, NDArray crossMask) {
        this.manager = manager;
        this.layers = layers;
        this.crossMask = crossMask;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void selectRows(NDArray rows) {
        NDArray idx = rows.toDevice(manager.getDevice(), false);
        for (DecoderLayer.LayerCache c : layers) {
            c.crossKeys = pick(c.crossKeys, idx);
            c.crossValues = pick(c.crossValues, idx);
            c.selfKeys = pick(c.selfKeys, idx);
            c.selfValues = pick(c.selfValues, idx);
        }
        crossMask = pick(crossMask, idx);
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
