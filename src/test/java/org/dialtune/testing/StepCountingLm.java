package org.dialtune.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;

/**
 * Wraps a model and records, at every decoding step, how many arrays the step's manager holds: a
 * growing count means a generation loop leaks native memory.
 */
public final class StepCountingLm implements Seq2SeqLm {
    private final Seq2SeqLm inner;
    private final List<Integer> counts;

    public StepCountingLm(Seq2SeqLm inner, List<Integer> counts) {
        this.inner = inner;
        this.counts = counts;
    }

    @Override
    public ModelConfig config() {
        return inner.config();
    }

    @Override
    public Map<String, NDArray> tensors() {
        return inner.tensors();
    }

    @Override
    public Map<String, NDArray> parameters() {
        return inner.parameters();
    }

    @Override
    public org.dialtune.model.nn.Projections projections() {
        return inner.projections();
    }

    @Override
    public Map<String, NDArray> setTrainable(Predicate<String> which) {
        return inner.setTrainable(which);
    }

    @Override
    public void setPrecision(Precision precision) {
        inner.setPrecision(precision);
    }

    @Override
    public Precision precision() {
        return inner.precision();
    }

    @Override
    public Device device() {
        return inner.device();
    }

    @Override
    public NDManager manager() {
        return inner.manager();
    }

    /** The wrapped model is the caller's: not closed here. */
    @Override
    public void close() {}

    @Override
    public NDArray encode(NDArray ids, NDArray mask, boolean training) {
        return inner.encode(ids, mask, training);
    }

    @Override
    public NDArray decode(NDArray enc, NDArray mask, NDArray dec, boolean training) {
        return inner.decode(enc, mask, dec, training);
    }

    @Override
    public DecoderCache startDecoding(NDArray enc, NDArray mask) {
        return inner.startDecoding(enc, mask);
    }

    @Override
    public NDArray decodeStep(DecoderCache cache, NDArray tokens) {
        counts.add(tokens.getManager().getManagedArrays().size());
        return inner.decodeStep(cache, tokens);
    }
}
