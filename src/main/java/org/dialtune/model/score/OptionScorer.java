package org.dialtune.model.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenBatch;

/**
 * Rank classification: scores every candidate answer of a source by its log-likelihood under the
 * model, teacher-forced exactly like a training label (decoder input = decoder start token + the
 * option's tokens shifted right). Each source is encoded once, and its decoder cross-attention
 * keys/values are computed once for all its options (with 150 options, as clinc150's intents, that
 * projection was most of the work when each option row recomputed it); the prefix the options' decoder
 * inputs share (the start token, and any words every option begins with) is decoded once too, and
 * each option row continues from that cache.
 *
 * <p>{@code batchSize} bounds both the sources encoded together and the option rows decoded together
 * (the logits of one decode call are {@code rows × option length × vocab} floats); results do
 * not depend on it. Every batch lives in
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
        List<OptionScores> out = new ArrayList<>(options.size());
        for (int s = 0; s < options.size(); s++) {
            List<long[]> labels = options.get(s);
            for (long[] l : labels) {
                if (l.length == 0) throw new IllegalArgumentException("empty option token sequence");
            }
            double[] totals;
            try (NDManager one = batch.newSubManager()) {
                NDIndex row = new NDIndex("{}:{}", s, s + 1);
                totals = logLikelihoods(one, enc.get(one, row), mask.get(one, row), labels);
            }
            int[] lengths = new int[labels.size()];
            double[] norm = new double[labels.size()];
            for (int o = 0; o < norm.length; o++) {
                lengths[o] = labels.get(o).length;
                norm[o] = totals[o] / lengths[o];
            }
            out.add(new OptionScores(totals, norm, lengths));
        }
        return out;
    }

    /**
     * Sum of log p(label_t | source, label_<t) per option of one source ({@code enc} [1, S, D]), in double
     * over float32 log-probabilities. The decoder's cross-attention keys/values are computed once for
     * the source, and the decoder inputs' common prefix (at least the start token) is decoded once;
     * the options' remaining tokens continue from that cache, {@code batchSize} rows at a time.
     */
    private double[] logLikelihoods(NDManager m, NDArray enc, NDArray mask, List<long[]> labels) {
        long pad = model.config().padTokenId();
        int n = labels.size();
        long[][] inputs = new long[n][];
        for (int r = 0; r < n; r++) {
            long[] l = labels.get(r);
            inputs[r] = new long[l.length];
            inputs[r][0] = model.config().decoderStartTokenId();
            System.arraycopy(l, 0, inputs[r], 1, l.length - 1);
        }
        int prefix = commonPrefix(inputs);
        double[] out = new double[n];
        try (DecoderCache cache = model.startDecoding(enc, mask)) {
            float[] lp = model.decodeSteps(cache, m.create(new long[][] {Arrays.copyOf(inputs[0], prefix)}))
                    .logSoftmax(2).toFloatArray();
            int vocab = lp.length / prefix;
            for (int r = 0; r < n; r++) {
                for (int t = 0; t < prefix; t++) out[r] += lp[t * vocab + (int) labels.get(r)[t]];
            }
            for (int r0 = 0; r0 < n; r0 += batchSize) {
                int rows = Math.min(n, r0 + batchSize) - r0;
                List<long[]> rest = new ArrayList<>(rows);
                List<long[]> restLabels = new ArrayList<>(rows);
                for (int r = r0; r < r0 + rows; r++) {
                    rest.add(Arrays.copyOfRange(inputs[r], prefix, inputs[r].length));
                    restLabels.add(Arrays.copyOfRange(labels.get(r), prefix, labels.get(r).length));
                }
                if (restLabels.stream().allMatch(l -> l.length == 0)) continue; // the prefix was all of them
                TokenBatch target = TokenBatch.pad(restLabels, pad);
                try (NDManager chunk = m.newSubManager();
                     DecoderCache rowsCache = cache.fork(chunk.zeros(new Shape(rows), DataType.INT64))) {
                    NDArray logits = model.decodeSteps(rowsCache, TokenBatch.pad(rest, pad).ids(chunk));
                    float[] picked = logits.logSoftmax(2).gather(target.ids(chunk).expandDims(2), 2).toFloatArray();
                    int width = target.width();
                    for (int i = 0; i < rows; i++) {
                        for (int t = 0; t < target.length(i); t++) out[r0 + i] += picked[i * width + t];
                    }
                }
            }
        }
        return out;
    }

    /** Length of the longest prefix all decoder inputs share: at least 1 (the start token), at most the shortest. */
    private static int commonPrefix(long[][] inputs) {
        int len = Integer.MAX_VALUE;
        for (long[] in : inputs) len = Math.min(len, in.length);
        for (int t = 1; t < len; t++) {
            for (long[] in : inputs) {
                if (in[t] != inputs[0][t]) return t;
            }
        }
        return len;
    }
}
