package org.dialtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;

/**
 * What every family's model built from these blocks does alike: it owns its {@link Weights}, the
 * precision its projections read, the projections adapters attach to, and a decoder stack that
 * incremental decoding runs through a {@link KvCache}. A family adds its embeddings, stacks, head and
 * which tensors train ({@link #parameters()}), and one cached decoding routine.
 */
public abstract class LayeredSeq2SeqLm implements Seq2SeqLm {
    protected final Weights weights;
    protected final MatmulPrecision precision = new MatmulPrecision();
    protected final Projections projections = new Projections();
    protected final List<DecoderLayer> decoderLayers = new ArrayList<>();
    /** The LM head, set by the family's constructor (it holds a copy of its weights, freed on close). */
    protected VocabularyHead head;

    protected LayeredSeq2SeqLm(Weights weights) {
        this.weights = weights;
    }

    /**
     * Feeds {@code tokens} — [B] when {@code oneStep} (logits [B, V]) or [B, t] (logits [B, t, V]) — at
     * position {@code cache.length()} onwards; the cache grows by one or t.
     */
    protected abstract NDArray decodeSteps(KvCache cache, NDArray tokens, boolean oneStep);

    @Override
    public Map<String, NDArray> tensors() {
        return weights.all();
    }

    @Override
    public Projections projections() {
        return projections;
    }

    @Override
    public Map<String, NDArray> setTrainable(Predicate<String> which) {
        return Weights.setTrainable(parameters(), which);
    }

    @Override
    public void setPrecision(Precision p) {
        precision.set(p);
    }

    @Override
    public Precision precision() {
        return precision.get();
    }

    @Override
    public Device device() {
        return weights.manager().getDevice();
    }

    @Override
    public NDManager manager() {
        return weights.manager();
    }

    @Override
    public DecoderCache startDecoding(NDArray encoderStates, NDArray attentionMask) {
        return KvCache.start(decoderLayers, encoderStates, () -> Masks.keyPadding(attentionMask));
    }

    @Override
    public NDArray decodeStep(DecoderCache decoderCache, NDArray tokens) {
        return decodeSteps((KvCache) decoderCache, tokens, true);
    }

    @Override
    public NDArray decodeSteps(DecoderCache decoderCache, NDArray tokens) {
        return decodeSteps((KvCache) decoderCache, tokens, false);
    }

    @Override
    public void close() {
        if (head != null) head.close();
        weights.close();
    }
}
