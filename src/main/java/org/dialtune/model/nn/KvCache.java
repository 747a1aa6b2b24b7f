package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.dialtune.model.DecoderCache;

/**
 * The incremental decoding state of a stack of {@link DecoderLayer}s: per layer the self-attention
 * keys/values of the positions fed so far and the cross-attention keys/values of the encoder states
 * (computed once), plus the encoder padding mask. All arrays live in the cache's own manager, closed
 * with it.
 */
public final class KvCache implements DecoderCache {
    private final NDManager manager;
    private final List<DecoderLayer.LayerCache> layers;
    private NDArray crossMask;
    private int length;
    /** Which encoder row each cache row attends to: cross keys/values depend on nothing else. */
    private long[] sourceRows;
    /** The cross-attention arrays have one row, serving every row (a cache started on one source). */
    private boolean shared;

    private KvCache(NDManager manager, List<DecoderLayer.LayerCache> layers, NDArray crossMask, int batch) {
        this.manager = manager;
        this.layers = layers;
        this.crossMask = crossMask;
        this.sourceRows = new long[batch];
        for (int i = 0; i < batch; i++) sourceRows[i] = i;
    }

    /**
     * Begins decoding over {@code encoderStates} [B, S, D]: each layer's cross-attention keys/values, and
     * the additive cross-attention mask {@code crossMask} makes (or null), kept in a sub-manager of the
     * encoder states' manager.
     */
    public static KvCache start(List<DecoderLayer> decoderLayers, NDArray encoderStates, Supplier<NDArray> crossMask) {
        NDManager cacheManager = encoderStates.getManager().newSubManager();
        List<DecoderLayer.LayerCache> layers = new ArrayList<>();
        NDArray mask;
        try (NDScope scope = new NDScope()) {
            for (DecoderLayer layer : decoderLayers) {
                try (NDScope perLayer = new NDScope()) { // the projections' temporaries go at once (Temporaries)
                    DecoderLayer.LayerCache c = layer.startCache(encoderStates);
                    keep(cacheManager, c.crossKeys, c.crossValues);
                    layers.add(c);
                }
            }
            mask = crossMask.get();
            if (mask != null) keep(cacheManager, mask);
        }
        return new KvCache(cacheManager, layers, mask, (int) encoderStates.getShape().get(0));
    }

    /**
     * Feeds {@code h} [B, t, D] (the embedded new positions) through {@code decoderLayers}, appending
     * their self-attention keys/values; {@code selfMask} is additive over the scores (position bias),
     * or null. Returns the last layer's output; call {@link #advance} once the step is done.
     */
    public NDArray step(List<DecoderLayer> decoderLayers, NDArray h, NDArray selfMask) {
        List<NDArray> stale = new ArrayList<>();
        for (int i = 0; i < decoderLayers.size(); i++) {
            DecoderLayer.LayerCache c = layers.get(i);
            if (c.selfKeys != null) {
                stale.add(c.selfKeys);
                stale.add(c.selfValues);
            }
            h = decoderLayers.get(i).step(h, selfMask, c, crossMask);
            keep(manager, c.selfKeys, c.selfValues);
        }
        stale.forEach(NDArray::close);
        return h;
    }

    @Override
    public int length() {
        return length;
    }

    public void advance(int n) {
        length += n;
    }

    @Override
    public void selectRows(NDArray rows) {
        long[] r = rows.toType(DataType.INT64, false).toLongArray();
        long[] newSources = new long[r.length];
        for (int i = 0; i < r.length; i++) newSources[i] = sourceRows[(int) r[i]];
        // Beam search reorders beams within each input every step: the rows then still attend to the
        // same encoder rows, and copying the (large) cross-attention keys/values can be skipped; so
        // where one source's keys/values serve every row (Attention broadcasts them).
        boolean wasShared = crossShared();
        boolean crossUnchanged = wasShared || Arrays.equals(newSources, sourceRows);
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
        shared = wasShared;
        sourceRows = wasShared ? new long[r.length] : newSources;
        if (idx != rows) idx.close();
    }

    /**
     * The fork's self-attention keys/values are copies in a sub-manager of this cache's; its
     * cross-attention arrays are this cache's own where they serve every row (one source), else
     * copies.
     */
    @Override
    public KvCache fork(NDArray rows) {
        long[] r = rows.toType(DataType.INT64, false).toLongArray();
        long[] newSources = new long[r.length];
        for (int i = 0; i < r.length; i++) newSources[i] = sourceRows[(int) r[i]];
        boolean shareCross = crossShared();
        NDManager m = manager.newSubManager();
        NDArray idx = rows.toDevice(m.getDevice(), false);
        List<DecoderLayer.LayerCache> forked = new ArrayList<>();
        for (DecoderLayer.LayerCache c : layers) {
            DecoderLayer.LayerCache f = new DecoderLayer.LayerCache();
            f.crossKeys = shareCross ? c.crossKeys : copy(m, c.crossKeys, idx);
            f.crossValues = shareCross ? c.crossValues : copy(m, c.crossValues, idx);
            f.selfKeys = copy(m, c.selfKeys, idx);
            f.selfValues = copy(m, c.selfValues, idx);
            forked.add(f);
        }
        KvCache fork = new KvCache(m, forked, shareCross ? crossMask : copy(m, crossMask, idx), r.length);
        fork.sourceRows = shareCross ? new long[r.length] : newSources;
        fork.shared = shareCross;
        fork.length = length;
        if (idx != rows) idx.close();
        return fork;
    }

    /** Whether one row of cross-attention keys/values serves every row of the cache. */
    private boolean crossShared() {
        return shared || sourceRows.length == 1;
    }

    /** Rows {@code idx} of {@code a} (index_select on dim 0) in the cache's manager; the old array is closed. */
    private NDArray pick(NDArray a, NDArray idx) {
        NDArray r = copy(manager, a, idx);
        if (a != null) a.close();
        return r;
    }

    private static NDArray copy(NDManager m, NDArray a, NDArray idx) {
        return a == null ? null : a.get(m, new NDIndex("{}", idx));
    }

    private static void keep(NDManager m, NDArray... arrays) {
        for (NDArray a : arrays) {
            NDScope.unregister(a);
            a.attach(m);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
