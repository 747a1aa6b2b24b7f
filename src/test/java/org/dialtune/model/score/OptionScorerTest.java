package org.dialtune.model.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.testing.ScriptedLm;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

class OptionScorerTest {
    private static final int V = 8;

    /** A next-token distribution that depends on the source and the whole prefix. */
    private static double[] probs(long[] source, long[] prefix) {
        double[] w = new double[V];
        double sum = 0;
        for (int t = 0; t < V; t++) {
            w[t] = 1 + Math.floorMod(t * 3 + prefix.length * 5 + source[0] + prefix[prefix.length - 1] * 2, 7);
            sum += w[t];
        }
        for (int t = 0; t < V; t++) w[t] /= sum;
        return w;
    }

    /** Brute force: log p(option) = Σ_t log p(option[t] | start, option[<t]), one token at a time. */
    private static double bruteForce(long[] source, long[] option) {
        double total = 0;
        long[] prefix = {2};
        for (long token : option) {
            total += (float) Math.log(probs(source, prefix)[(int) token]);
            prefix = Arrays.copyOf(prefix, prefix.length + 1);
            prefix[prefix.length - 1] = token;
        }
        return total;
    }

    @Test
    void scoresAreTeacherForcedLogLikelihoodsWhateverTheBatchSize() {
        ScriptedLm lm = new ScriptedLm(V, (source, prefix) -> ScriptedLm.logOf(probs(source, prefix)));
        List<long[]> sources = List.of(new long[] {0, 3, 2}, new long[] {0, 4, 5, 6, 2}, new long[] {0, 7, 2});
        List<List<long[]>> options = List.of(
                List.of(new long[] {0, 5, 2}, new long[] {0, 6, 7, 2}, new long[] {0, 2}),
                List.of(new long[] {0, 3, 3, 3, 3, 2}),
                List.of(new long[] {0, 4, 2}, new long[] {0, 4, 3, 2}, new long[] {0, 7, 2}, new long[] {0, 5, 6, 2}));
        try (NDManager m = NDManager.newBaseManager()) {
            for (int batchSize : new int[] {1, 2, 10}) {
                List<Integer> progress = new ArrayList<>();
                List<OptionScores> out = new OptionScorer(lm, batchSize).score(m, sources, options, progress::add);
                assertEquals(3, progress.get(progress.size() - 1));
                for (int s = 0; s < sources.size(); s++) {
                    OptionScores sc = out.get(s);
                    int best = 0;
                    int bestNorm = 0;
                    for (int o = 0; o < options.get(s).size(); o++) {
                        long[] opt = options.get(s).get(o);
                        double expected = bruteForce(sources.get(s), opt);
                        assertEquals(expected, sc.total()[o], 1e-5, "batch " + batchSize + " source " + s + " option " + o);
                        assertEquals(opt.length, sc.tokens()[o]);
                        assertEquals(expected / opt.length, sc.normalized()[o], 1e-5);
                        if (expected > bruteForce(sources.get(s), options.get(s).get(best))) best = o;
                        if (expected / opt.length > sc.normalized()[bestNorm] + 1e-9) bestNorm = o;
                    }
                    assertEquals(best, sc.best());
                    assertEquals(bestNorm, sc.bestNormalized());
                }
            }
            assertTrue(m.getManagedArrays().isEmpty(), "every batch manager closed");
        }
    }

    @Test
    void aSourceIsDecodedFromOneCacheAndTheOptionsCommonPrefixOnce() {
        ScriptedLm lm = new ScriptedLm(V, (source, prefix) -> ScriptedLm.logOf(probs(source, prefix)));
        List<long[]> sources = List.of(new long[] {0, 3, 2}, new long[] {0, 5, 2});
        // decoder inputs: start, 0, 4, 4 and then nothing, 5, or 6 6: a common prefix of 4 positions
        List<long[]> shared = List.of(new long[] {0, 4, 4, 2}, new long[] {0, 4, 4, 5, 2}, new long[] {0, 4, 4, 6, 6, 2});
        try (NDManager m = NDManager.newBaseManager()) {
            List<OptionScores> out = new OptionScorer(lm, 2).score(m, sources, List.of(shared, shared), n -> {});
            assertEquals(2, lm.startCalls(), "one cache (cross-attention keys/values) per source, not per option");
            // per source: the prefix once (4 positions of 1 row), then the rest in chunks of 2 rows:
            // options 1-2 (their rests, nothing and "5", padded to 1 position), option 3 ("6 6", 2 positions)
            assertEquals(2 * (4 + 2 * 1 + 1 * 2), lm.fedPositions());
            for (int s = 0; s < 2; s++) {
                for (int o = 0; o < shared.size(); o++) {
                    assertEquals(bruteForce(sources.get(s), shared.get(o)), out.get(s).total()[o], 1e-5, s + "/" + o);
                }
            }
            assertTrue(m.getManagedArrays().isEmpty(), "every batch manager closed");
        }
    }

    @Test
    void bestByTotalAndByLengthNormalisedScoreCanDiffer() {
        OptionScores s = new OptionScores(new double[] {-2, -3, -2}, new double[] {-1, -0.5, -1}, new int[] {2, 6, 2});
        assertEquals(0, s.best(), "first of the tied totals");
        assertEquals(1, s.bestNormalized());
    }

    @Test
    void sourceWithoutOptionsIsRefused() {
        ScriptedLm lm = new ScriptedLm(V, (source, prefix) -> new float[V]);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> new OptionScorer(lm, 2)
                    .score(m, List.of(new long[] {0, 2}), List.of(List.of()), n -> {}));
        }
    }

    @Test
    void realModelMatchesPerOptionBruteForce() {
        List<String> sourceTexts = List.of("Hello world!", "The tower is 324 metres tall, about the same as a building.");
        List<List<String>> optionTexts = List.of(List.of("yes", "no", "maybe so, who knows"),
                List.of("intent: card lost", "intent: card declined", "intent: balance", "intent: card"));
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(SharedData.require("models/bart-tokenizer"));
             Seq2SeqLm model = Checkpoint.load(SharedData.require("models/tiny-bart-std0.2"));
             NDManager m = model.manager().getParentManager().newSubManager()) {
            List<long[]> sources = tok.encode(sourceTexts, 128).ids();
            List<List<long[]>> options = new ArrayList<>();
            for (List<String> o : optionTexts) options.add(tok.encode(o, 128).ids());
            List<OptionScores> out = new OptionScorer(model, 4).score(m, sources, options, n -> {});
            for (int s = 0; s < sources.size(); s++) {
                for (int o = 0; o < options.get(s).size(); o++) {
                    long[] opt = options.get(s).get(o);
                    double expected = bruteForce(model, m, sources.get(s), opt);
                    assertEquals(expected, out.get(s).total()[o], 1e-4, "source " + s + " option " + o);
                    assertTrue(expected < 0);
                }
            }
            // the options really differ in score, so "best" is a decision, not a tie
            assertTrue(Math.abs(out.get(0).total()[0] - out.get(0).total()[1]) > 1e-3);
        }
    }

    /** One source, one option, no batching, no padding; log-softmax in double in Java. */
    private static double bruteForce(Seq2SeqLm model, NDManager parent, long[] source, long[] option) {
        try (NDManager m = parent.newSubManager()) {
            NDArray ids = m.create(new long[][] {source});
            NDArray mask = m.ones(ids.getShape(), ai.djl.ndarray.types.DataType.INT64);
            long[] dec = new long[option.length];
            dec[0] = model.config().decoderStartTokenId();
            System.arraycopy(option, 0, dec, 1, option.length - 1);
            NDArray logits = model.decode(model.encode(ids, mask, false), mask, m.create(new long[][] {dec}), false);
            float[] l = logits.toFloatArray();
            int v = model.config().vocabSize();
            double total = 0;
            for (int t = 0; t < option.length; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) max = Math.max(max, l[t * v + i]);
                double sum = 0;
                for (int i = 0; i < v; i++) sum += Math.exp(l[t * v + i] - max);
                total += l[t * v + (int) option[t]] - max - Math.log(sum);
            }
            return total;
        }
    }
}
