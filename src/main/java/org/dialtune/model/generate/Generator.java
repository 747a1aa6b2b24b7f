package org.dialtune.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.dialtune.common.UserError;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenBatch;
import org.dialtune.model.nn.IntraOpThreads;

/**
 * Greedy and beam search for an encoder-decoder model with Hugging Face {@code generate()} semantics
 * (see {@code shared/models/tiny-bart/README.md}, rule 12, and {@code shared/reference/torch_bart.py}):
 * decoding starts from the decoder start token, the rules of {@link ScoreRules} shape each step's
 * scores, finished greedy rows are padded, beam search keeps HF's hypothesis bookkeeping.
 *
 * <p>Inputs are processed in batches of {@code batchSize}; each batch lives in its own NDManager
 * (closed after the batch) and each decoding step in a sub-manager of it, so native memory stays flat
 * however long the input list or the outputs are. Results do not depend on the batch size.
 */
public final class Generator {
    private final Seq2SeqLm model;
    private final GenerationConfig cfg;
    private final int batchSize;
    private final boolean useCache;
    private final ScoreRules rules;

    public Generator(Seq2SeqLm model, GenerationConfig cfg, int batchSize) {
        this(model, cfg, batchSize, true);
    }

    private Generator(Seq2SeqLm model, GenerationConfig cfg, int batchSize, boolean useCache) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        cfg.checkVocabulary(model.config().vocabSize());
        // positions 0 .. maxLength-2 are fed to the decoder (the last token is produced, never fed)
        if (cfg.maxLength() - 1 > model.config().maxPositions()) {
            throw new UserError("max length " + cfg.maxLength() + " needs " + (cfg.maxLength() - 1)
                    + " decoder positions but the model has " + model.config().maxPositionsField() + " "
                    + model.config().maxPositions() + ": ask for at most "
                    + model.config().maxPositions() + " new tokens");
        }
        this.model = model;
        this.cfg = cfg;
        this.batchSize = batchSize;
        this.useCache = useCache;
        this.rules = new ScoreRules(cfg);
    }

    /**
     * The same search recomputing the whole decoder prefix at every step instead of using the
     * incremental cache: slow, for checking that the cache does not change results.
     */
    public Generator withoutCache() {
        return new Generator(model, cfg, batchSize, false);
    }

    public GenerationConfig config() {
        return cfg;
    }

    /** Generates one sequence per source (token ids with special tokens, unpadded). */
    public List<Generated> generate(NDManager parent, List<long[]> sources) {
        return generate(parent, sources, done -> {});
    }

    /** As {@link #generate(NDManager, List)}, reporting the number of sources done after each batch. */
    public List<Generated> generate(NDManager parent, List<long[]> sources, IntConsumer progress) {
        List<Generated> out = new ArrayList<>(sources.size());
        for (int start = 0; start < sources.size(); start += batchSize) {
            List<long[]> chunk = sources.subList(start, Math.min(sources.size(), start + batchSize));
            try (NDManager batch = parent.newSubManager()) {
                TokenBatch tb = TokenBatch.pad(chunk, cfg.padTokenId());
                NDArray mask = tb.mask(batch);
                NDArray enc = model.encode(tb.ids(batch), mask, false);
                long rows = (long) chunk.size() * cfg.numBeams();
                try (IntraOpThreads.Scope narrow = IntraOpThreads.narrowed(
                        IntraOpThreads.tinySteps(rows, model.config().dModel()))) {
                    out.addAll(cfg.numBeams() == 1 ? greedy(batch, enc, mask) : beam(batch, enc, mask));
                }
            }
            progress.accept(out.size());
        }
        return out;
    }

    private List<Generated> greedy(NDManager batch, NDArray enc, NDArray mask) {
        int rows = (int) enc.getShape().get(0);
        long[][] seqs = startSequences(rows);
        int[] ends = new int[rows]; // length including the EOS once finished, 0 while running
        StopReason[] stops = new StopReason[rows];
        try (Steps steps = steps(batch, enc, mask)) {
            int len = 1;
            while (true) {
                long[] next;
                try (NDManager step = batch.newSubManager()) {
                    NDArray scores = rules.apply(steps.logits(step, seqs, len), seqs, len);
                    next = IntraOpThreads.full(() -> scores.argMax(1)).toLongArray();
                }
                boolean allDone = true;
                for (int r = 0; r < rows; r++) {
                    if (ends[r] > 0) {
                        next[r] = cfg.padTokenId();
                    } else if (next[r] == cfg.eosTokenId()) {
                        ends[r] = len + 1;
                        stops[r] = rules.forcesEos(len) ? StopReason.MAX_LENGTH : StopReason.EOS;
                    }
                    seqs[r][len] = next[r];
                    allDone &= ends[r] > 0;
                }
                len++;
                if (allDone || len >= cfg.maxLength()) break;
                steps.advance(next, null);
            }
            List<Generated> out = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                int end = ends[r] > 0 ? ends[r] : len;
                out.add(new Generated(Arrays.copyOf(seqs[r], end), Double.NaN,
                        stops[r] != null ? stops[r] : StopReason.MAX_LENGTH));
            }
            return out;
        }
    }

    private List<Generated> beam(NDManager batch, NDArray enc, NDArray mask) {
        int items = (int) enc.getShape().get(0);
        int k = cfg.numBeams();
        int rows = items * k;
        int vocab = model.config().vocabSize();
        long[] expand = new long[rows]; // row i*k+j starts as a copy of input i (HF repeat_interleave)
        for (int i = 0; i < rows; i++) expand[i] = i / k;
        long[][] seqs = startSequences(rows);
        float[] beamScores = new float[rows];
        for (int i = 0; i < rows; i++) beamScores[i] = i % k == 0 ? 0f : -1e9f; // only beam 0 is live at first
        BeamHypotheses[] hyps = new BeamHypotheses[items];
        boolean[] done = new boolean[items];
        for (int b = 0; b < items; b++) {
            hyps[b] = new BeamHypotheses(k, cfg.lengthPenalty(), cfg.earlyStopping(), cfg.maxLength());
        }
        try (Steps steps = beamSteps(batch, enc, mask, expand)) {
            int len = 1;
            while (true) {
                float[] topScores;
                long[] topIds;
                try (NDManager step = batch.newSubManager()) {
                    NDList top = IntraOpThreads.full(topCandidates(step, steps.logits(step, seqs, len), seqs, len,
                            beamScores, items, k));
                    topScores = top.get(0).toFloatArray();
                    topIds = top.get(1).toLongArray();
                }
                boolean eosForced = rules.forcesEos(len);
                float[] nextScores = new float[rows];
                long[] nextTokens = new long[rows];
                long[] sourceRows = new long[rows];
                for (int b = 0; b < items; b++) {
                    if (done[b]) {
                        // HF keeps finished inputs in the batch with pad tokens and zero scores
                        for (int j = 0; j < k; j++) {
                            nextTokens[b * k + j] = cfg.padTokenId();
                            sourceRows[b * k + j] = (long) b * k;
                        }
                        continue;
                    }
                    int filled = 0;
                    for (int rank = 0; rank < 2 * k && filled < k; rank++) {
                        int at = b * 2 * k + rank;
                        long token = topIds[at] % vocab;
                        int row = b * k + (int) (topIds[at] / vocab);
                        if (token == cfg.eosTokenId()) {
                            if (rank >= k) continue; // HF: an EOS below the top num_beams is not a hypothesis
                            hyps[b].add(Arrays.copyOf(seqs[row], len), topScores[at],
                                    eosForced ? StopReason.MAX_LENGTH : StopReason.EOS, len);
                        } else {
                            nextScores[b * k + filled] = topScores[at];
                            nextTokens[b * k + filled] = token;
                            sourceRows[b * k + filled] = row;
                            filled++;
                        }
                    }
                    done[b] = hyps[b].isDone(nextScores[b * k], len); // the best open beam, as transformers 5
                }
                long[][] reordered = new long[rows][];
                for (int i = 0; i < rows; i++) {
                    reordered[i] = seqs[(int) sourceRows[i]].clone();
                    reordered[i][len] = nextTokens[i];
                }
                seqs = reordered;
                beamScores = nextScores;
                len++;
                if (allTrue(done) || len >= cfg.maxLength()) break;
                steps.advance(nextTokens, sourceRows);
            }
            List<Generated> out = new ArrayList<>(items);
            for (int b = 0; b < items; b++) {
                if (!done[b]) { // the length cap ended the search: open beams compete as they are
                    for (int j = 0; j < k; j++) {
                        hyps[b].add(Arrays.copyOf(seqs[b * k + j], len), beamScores[b * k + j], StopReason.MAX_LENGTH,
                                len - 1);
                    }
                }
                BeamHypotheses.Hypothesis best = hyps[b].best();
                long[] tokens = best.tokens();
                if (tokens.length < cfg.maxLength()) {
                    tokens = Arrays.copyOf(tokens, tokens.length + 1);
                    tokens[tokens.length - 1] = cfg.eosTokenId();
                }
                out.add(new Generated(tokens, best.score(), best.stop()));
            }
            return out;
        }
    }

    /**
     * The {@code 2k} best continuations of each input over all its beams: scores [items, 2k] and flat
     * ids (beam · vocab + token), from the step's logits plus the beams' scores so far.
     */
    private Supplier<NDList> topCandidates(NDManager step, NDArray logits, long[][] seqs, int len, float[] beamScores,
                                           int items, int k) {
        return () -> rules.apply(logits.logSoftmax(1), seqs, len)
                .add(step.create(beamScores).reshape(beamScores.length, 1))
                .reshape(items, (long) k * model.config().vocabSize())
                .topK(2 * k, 1, true, true);
    }

    private long[][] startSequences(int rows) {
        long[][] seqs = new long[rows][cfg.maxLength()];
        for (long[] s : seqs) s[0] = cfg.decoderStartTokenId();
        return seqs;
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) if (!f) return false;
        return true;
    }

    private Steps steps(NDManager batch, NDArray enc, NDArray mask) {
        return useCache ? new CachedSteps(batch, enc, mask, null) : new FullSteps(batch, enc, mask, null);
    }

    private Steps beamSteps(NDManager batch, NDArray enc, NDArray mask, long[] expand) {
        return useCache ? new CachedSteps(batch, enc, mask, expand) : new FullSteps(batch, enc, mask, expand);
    }

    /** Next-token logits for every row, with or without the incremental cache. */
    private interface Steps extends AutoCloseable {
        /** Logits {@code [rows, vocab]} for the position after {@code seqs[r][0..len)}, owned by {@code step}. */
        NDArray logits(NDManager step, long[][] seqs, int len);

        /** Rows were re-ordered ({@code sourceRows}, null = unchanged) and extended by {@code tokens}. */
        void advance(long[] tokens, long[] sourceRows);

        @Override
        void close();
    }

    /** Feeds one token per row through the model's {@link DecoderCache}. */
    private final class CachedSteps implements Steps {
        private final NDManager batch;
        private final DecoderCache cache;
        private long[] pending;

        CachedSteps(NDManager batch, NDArray enc, NDArray mask, long[] expand) {
            this.batch = batch;
            this.cache = model.startDecoding(enc, mask);
            if (expand != null) selectRows(expand);
            this.pending = new long[expand != null ? expand.length : (int) enc.getShape().get(0)];
            Arrays.fill(pending, cfg.decoderStartTokenId());
        }

        @Override
        public NDArray logits(NDManager step, long[][] seqs, int len) {
            NDArray tokens = batch.create(pending);
            try {
                NDArray logits = model.decodeStep(cache, tokens);
                logits.attach(step);
                return logits;
            } finally {
                tokens.close();
            }
        }

        @Override
        public void advance(long[] tokens, long[] sourceRows) {
            if (sourceRows != null) selectRows(sourceRows);
            pending = tokens;
        }

        private void selectRows(long[] rows) {
            try (NDArray idx = batch.create(rows)) {
                cache.selectRows(idx);
            }
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** Runs the decoder over the whole prefix at every step (reference behaviour, no cache). */
    private final class FullSteps implements Steps {
        private final NDArray enc;
        private final NDArray mask;

        FullSteps(NDManager batch, NDArray enc, NDArray mask, long[] expand) {
            if (expand != null) {
                NDArray idx = batch.create(expand);
                enc = enc.get(idx);
                mask = mask.get(idx);
            }
            this.enc = enc;
            this.mask = mask;
        }

        @Override
        public NDArray logits(NDManager step, long[][] seqs, int len) {
            long[][] prefix = new long[seqs.length][];
            for (int r = 0; r < seqs.length; r++) prefix[r] = Arrays.copyOf(seqs[r], len);
            NDArray all = model.decode(enc, mask, step.create(prefix), false);
            all.attach(step);
            return all.get(new NDIndex(":, -1, :"));
        }

        @Override
        public void advance(long[] tokens, long[] sourceRows) {
            // the prefix is rebuilt from seqs at every step
        }

        @Override
        public void close() {}
    }
}
