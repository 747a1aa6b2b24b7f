package org.dialtune.testing;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.dialtune.model.BartConfig;
import org.dialtune.model.DecoderCache;
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
    public BartConfig config() {
        return inner.config();
    }

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
