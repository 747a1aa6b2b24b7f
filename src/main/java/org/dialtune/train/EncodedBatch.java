package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.TokenBatch;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;

/**
 * A training batch as token ids on the host: padded sources with their mask, and labels padded with
 * -100 (ignored by the loss). NDArrays are made only in {@link #sourceIds} etc., on the caller's
 * per-step manager. Truncated sources and targets are counted, never hidden.
 */
public final class EncodedBatch {
    private final List<Seq2SeqExample> examples;
    private final List<long[]> sourceIds;
    private final List<long[]> labelIds;
    private final TokenBatch sources;
    private final long[][] labels;
    private final int targetTokens;
    private final int truncatedSources;
    private final int truncatedTargets;

    private EncodedBatch(List<Seq2SeqExample> examples, List<long[]> sourceIds, List<long[]> labelIds, TokenBatch sources,
                         long[][] labels, int targetTokens, int truncatedSources, int truncatedTargets) {
        this.examples = List.copyOf(examples);
        this.sourceIds = sourceIds;
        this.labelIds = labelIds;
        this.sources = sources;
        this.labels = labels;
        this.targetTokens = targetTokens;
        this.truncatedSources = truncatedSources;
        this.truncatedTargets = truncatedTargets;
    }

    /** Labels are the tokenised target (with the tokenizer's special tokens, BART's {@code <s> … </s>}), as HF's {@code tokenizer(text_target=…)}. */
    public static EncodedBatch of(List<Seq2SeqExample> examples, Seq2SeqTokenizer tokenizer, int maxSource, int maxTarget) {
        List<String> src = new ArrayList<>(examples.size());
        List<String> tgt = new ArrayList<>(examples.size());
        for (Seq2SeqExample e : examples) {
            src.add(e.source());
            tgt.add(e.target());
        }
        Seq2SeqTokenizer.Encoded s = tokenizer.encodeKept(src, maxSource);
        Seq2SeqTokenizer.Encoded t = tokenizer.encodeKept(tgt, maxTarget);
        int width = t.ids().stream().mapToInt(a -> a.length).max().orElse(1);
        long[][] labels = new long[examples.size()][width];
        int tokens = 0;
        for (int r = 0; r < labels.length; r++) {
            long[] ids = t.ids().get(r);
            Arrays.fill(labels[r], TokenCrossEntropy.IGNORE_INDEX);
            System.arraycopy(ids, 0, labels[r], 0, ids.length);
            tokens += ids.length;
        }
        return new EncodedBatch(examples, s.ids(), t.ids(), s.padded(tokenizer.specialTokens().pad()), labels, tokens,
                s.truncated(), t.truncated());
    }

    /** The examples, in row order. */
    public List<Seq2SeqExample> examples() {
        return examples;
    }

    /** Row {@code r}'s source ids as kept (after truncation, before padding). */
    public long[] sourceIds(int r) {
        return sourceIds.get(r).clone();
    }

    /** Row {@code r}'s label ids (the kept target tokens, before padding with -100). */
    public long[] labelIds(int r) {
        return labelIds.get(r).clone();
    }

    public NDArray sourceIds(NDManager m) {
        return sources.ids(m);
    }

    public NDArray sourceMask(NDManager m) {
        return sources.mask(m);
    }

    public NDArray labels(NDManager m) {
        return m.create(labels);
    }

    public NDArray decoderInputs(NDArray labels, ModelConfig config) {
        return TokenCrossEntropy.shiftTokensRight(labels, config.padTokenId(), config.decoderStartTokenId());
    }

    /** Examples in the batch. */
    public int rows() {
        return labels.length;
    }

    /** Source length after padding: the encoder computes every position, padding included. */
    public int sourceWidth() {
        return sources.width();
    }

    /** Target length after padding (the decoder's input length). */
    public int targetWidth() {
        return labels.length == 0 ? 0 : labels[0].length;
    }

    /** Label tokens in the batch (what the loss averages over and tokens/s counts, like the benchmark). */
    public int targetTokens() {
        return targetTokens;
    }

    public int truncatedSources() {
        return truncatedSources;
    }

    public int truncatedTargets() {
        return truncatedTargets;
    }
}
