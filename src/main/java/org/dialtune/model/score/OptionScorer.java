package org.dialtune.model.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenBatch;

/**
 * Rank classification: scores every candidate answer of a source by its log-likelihood under the
 * model, teacher-forced exactly like a training label (decoder input = decoder start token + the
 * option's tokens shifted right). Each source is encoded once; its options are decoded together,
 * as rows that share the source's encoder states.
 *
 * <p>{@code batchSize} bounds both the sources encoded together and the option rows decoded together
 * (the logits of one decode call are {@code rows × option length × vocab} floats). Every batch lives in
 * its own NDManager, closed after it.
 */
public final class OptionScorer {
    private final Seq2SeqLm model;
    private final int batchSize;

    public OptionScorer(Seq2SeqLm model, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * Scores {@code options.get(i)} (token ids with special tokens, as the tokenizer gives them) given
     * {@code sources.get(i)}; {@code progress} gets the number of sources done after each batch.
     */
    public List<OptionScores> score(NDManager parent, List<long[]> sources, List<List<long[]>> options,
                                    IntConsumer progress) {
        if (sources.size() != options.size()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + options.size() + " option lists");
        }
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).isEmpty()) throw new IllegalArgumentException("source " + i + " has no options");
        }
        List<OptionScores> out = new ArrayList<>(sources.size());
        for (int start = 0; start < sources.size(); start += batchSize) {
            int end = Math.min(sources.size(), start + batchSize);
            try (NDManager batch = parent.newSubManager()) {
                out.addAll(scoreBatch(batch, sources.subList(start, end), options.subList(start, end)));
            }
            progress.accept(end);
        }
        return out;
    }

    private List<OptionScores> scoreBatch(NDManager batch, List<long[]> sources, List<List<long[]>> options) {
        long pad = model.config().padTokenId();
        TokenBatch src = TokenBatch.pad(sources, pad);
        NDArray mask = src.mask(batch);
        NDArray enc = model.encode(src.ids(batch), mask, false);
        // one row per (source, option), decoded batchSize rows at a time
        List<int[]> rows = new ArrayList<>();
        for (int s = 0; s < options.size(); s++) {
            for (int o = 0; o < options.get(s).size(); o++) rows.add(new int[] {s, o});
        }
        double[][] totals = new double[options.size()][];
        int[][] lengths = new int[options.size()][];
        for (int s = 0; s < options.size(); s++) {
            totals[s] = new double[options.get(s).size()];
            lengths[s] = new int[options.get(s).size()];
        }
        for (int r0 = 0; r0 < rows.size(); r0 += batchSize) {
            List<int[]> chunk = rows.subList(r0, Math.min(rows.size(), r0 + batchSize));
            List<long[]> labels = new ArrayList<>(chunk.size());
            long[] sourceRow = new long[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                sourceRow[i] = chunk.get(i)[0];
                labels.add(options.get(chunk.get(i)[0]).get(chunk.get(i)[1]));
            }
            double[] ll = logLikelihoods(batch, enc, mask, sourceRow, labels);
            for (int i = 0; i < chunk.size(); i++) {
                totals[chunk.get(i)[0]][chunk.get(i)[1]] = ll[i];
                lengths[chunk.get(i)[0]][chunk.get(i)[1]] = labels.get(i).length;
            }
        }
        List<OptionScores> out = new ArrayList<>(options.size());
        for (int s = 0; s < options.size(); s++) {
            double[] norm = new double[totals[s].length];
            for (int o = 0; o < norm.length; o++) norm[o] = totals[s][o] / lengths[s][o];
            out.add(new OptionScores(totals[s], norm, lengths[s]));
        }
        return out;
    }

    /** Sum of log p(label_t | source, label_<t) per row, in double over float32 log-probabilities. */
    private double[] logLikelihoods(NDManager batch, NDArray enc, NDArray mask, long[] sourceRow, List<long[]> labels) {
        long pad = model.config().padTokenId();
        List<long[]> decoderInputs = new ArrayList<>(labels.size());
        for (long[] l : labels) {
            if (l.length == 0) throw new IllegalArgumentException("empty option token sequence");
            long[] in = new long[l.length];
            in[0] = model.config().decoderStartTokenId();
            System.arraycopy(l, 0, in, 1, l.length - 1);
            decoderInputs.add(in);
        }
        TokenBatch target = TokenBatch.pad(labels, pad);
        try (NDManager rows = batch.newSubManager()) {
            NDArray idx = rows.create(sourceRow);
            NDArray rowEnc = enc.get(rows, new NDIndex("{}", idx));
            NDArray rowMask = mask.get(rows, new NDIndex("{}", idx));
            NDArray logits = model.decode(rowEnc, rowMask, TokenBatch.pad(decoderInputs, pad).ids(rows), false);
            NDArray picked = logits.logSoftmax(2).gather(target.ids(rows).expandDims(2), 2);
            float[] lp = picked.toFloatArray();
            int width = target.width();
            double[] out = new double[labels.size()];
            for (int r = 0; r < out.length; r++) {
                double sum = 0;
                for (int t = 0; t < target.length(r); t++) sum += lp[r * width + t];
                out[r] = sum;
            }
            return out;
        }
    }
}
