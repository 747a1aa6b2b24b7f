package org.dialtune.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.nn.Projections;

/**
 * A model whose logits outside a set of token ids are minus infinity: the original model restricted to
 * a vocabulary, as a trimmed model computes it (its softmax runs over the kept tokens only). Everything
 * else is delegated.
 */
public final class KeptVocabularyLm implements Seq2SeqLm {
    private final Seq2SeqLm model;
    private final float[] mask;

    public KeptVocabularyLm(Seq2SeqLm model, int[] kept) {
        this.model = model;
        this.mask = new float[model.config().vocabSize()];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        for (int id : kept) mask[id] = 0f;
    }

    private NDArray masked(NDArray logits) {
        NDArray m = logits.getManager().create(mask);
        NDArray out = logits.add(m);
        m.close();
        return out;
    }

    @Override public ModelConfig config() { return model.config(); }
    @Override public Map<String, NDArray> tensors() { return model.tensors(); }
    @Override public Map<String, NDArray> parameters() { return model.parameters(); }
    @Override public Projections projections() { return model.projections(); }
    @Override public Map<String, NDArray> setTrainable(Predicate<String> which) { return model.setTrainable(which); }
    @Override public void setPrecision(Precision precision) { model.setPrecision(precision); }
    @Override public Precision precision() { return model.precision(); }
    @Override public Device device() { return model.device(); }
    @Override public NDManager manager() { return model.manager(); }

    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        return model.encode(inputIds, attentionMask, training);
    }

    @Override
    public NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training) {
        return masked(model.decode(encoderStates, attentionMask, decoderInputIds, training));
    }

    @Override
    public DecoderCache startDecoding(NDArray encoderStates, NDArray attentionMask) {
        return model.startDecoding(encoderStates, attentionMask);
    }

    @Override
    public NDArray decodeStep(DecoderCache cache, NDArray tokens) {
        return masked(model.decodeStep(cache, tokens));
    }

    @Override
    public void close() {
        model.close();
    }
}
