package org.dialtune.model.generate;

import static org.dialtune.testing.ScriptedLm.logOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dialtune.common.UserError;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.testing.ScriptedLm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Search logic against a scripted model whose every logit the test chooses (vocabulary of 8). */
class GeneratorTest {
    private static final int V = 8;
    private static final int BOS = 0;
    private static final int PAD = 1;
    private static final int EOS = 2;
    /** maxLength 10, greedy, forced BOS 0 / EOS 2, start 2, HF defaults otherwise. */
    private static final GenerationConfig BASE =
            new GenerationConfig(10, 0, 1, 1.0, GenerationConfig.EarlyStopping.TRUE, 0, BOS, EOS, EOS, EOS, PAD, "test");

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Wants {@code plan(source)[i]} at position i+2 (after start and BOS), then EOS; the runner-up is
     * always 7, then EOS; at position 1 it wants 7, which forced BOS must override.
     */
    private static float[] planned(long[] source, long[] prefix) {
        float[] logits = new float[V];
        logits[7] = 1f;
        logits[EOS] = 0.5f;
        if (prefix.length == 1) return logits;
        long[] plan = switch ((int) source[0]) {
            case 3 -> new long[] {3, 4};
            case 5 -> new long[] {5, 6, 7};
            default -> new long[] {6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6};
        };
        int i = prefix.length - 2;
        logits[i < plan.length ? (int) plan[i] : EOS] = 2f;
        return logits;
    }

    private List<Generated> run(Seq2SeqLm lm, GenerationConfig cfg, int batchSize, long[]... sources) {
        return new Generator(lm, cfg, batchSize).generate(manager, List.of(sources));
    }

    @Test
    void tinyModelsDecodeOnOneIntraOpThreadAndTheCountComesBack() {
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2);
        try {
            Set<Integer> seen = new HashSet<>();
            ScriptedLm lm = new ScriptedLm(V, (source, prefix) -> {
                seen.add(JniUtils.getNumThreads());
                return planned(source, prefix);
            });
            for (GenerationConfig cfg : List.of(BASE, BASE.withNumBeams(2))) {
                seen.clear();
                run(lm, cfg, 2, new long[] {3}, new long[] {5});
                assertEquals(Set.of(1), seen, "decoding steps of a width-4 model run on one thread");
                assertEquals(2, JniUtils.getNumThreads(), "the count is restored after the call");
            }
            ScriptedLm failing = new ScriptedLm(V, (source, prefix) -> {
                throw new IllegalStateException("step failed");
            });
            assertThrows(IllegalStateException.class, () -> run(failing, BASE, 1, new long[] {3}));
            assertEquals(2, JniUtils.getNumThreads(), "a failed call restores the count too");
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void greedyForcesBosStopsAtEosAndCapsAtMaxLength() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::planned);
        List<Generated> out = run(lm, BASE, 3, new long[] {3}, new long[] {5}, new long[] {6});
        assertArrayEquals(new long[] {2, 0, 3, 4, 2}, out.get(0).tokens());
        assertEquals(StopReason.EOS, out.get(0).stop());
        assertArrayEquals(new long[] {2, 0, 5, 6, 7, 2}, out.get(1).tokens());
        assertEquals(StopReason.EOS, out.get(1).stop());
        // never chooses EOS: the cap forces it at position maxLength-1 and says so
        assertArrayEquals(new long[] {2, 0, 6, 6, 6, 6, 6, 6, 6, 2}, out.get(2).tokens());
        assertEquals(StopReason.MAX_LENGTH, out.get(2).stop());
        assertEquals(9, out.get(2).newTokens());
        assertTrue(Double.isNaN(out.get(0).score()));
        assertEquals(9, lm.stepCalls(), "one cached step per generated position");
        assertTrue(manager.getManagedArrays().isEmpty(), "every batch manager closed");
    }

    @Test
    void greedyStopsWhenEveryRowIsDoneAndResultsDoNotDependOnBatchSize() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::planned);
        List<Generated> out = run(lm, BASE, 2, new long[] {3}, new long[] {5});
        assertEquals(5, lm.stepCalls(), "stops at the step where the last row emits EOS");
        List<Generated> single = run(new ScriptedLm(V, GeneratorTest::planned), BASE, 1, new long[] {3}, new long[] {5});
        for (int i = 0; i < 2; i++) assertArrayEquals(out.get(i).tokens(), single.get(i).tokens());
    }

    @Test
    void withoutForcedEosTheCapLeavesTheSequenceOpen() {
        List<Generated> out = run(new ScriptedLm(V, GeneratorTest::planned), BASE.withForcedTokens(-1, -1)
                .withMaxNewTokens(4, "test"), 1, new long[] {6});
        // no forced BOS either: the model's own choice (7) stays at position 1
        assertArrayEquals(new long[] {2, 7, 6, 6, 6}, out.get(0).tokens());
        assertEquals(StopReason.MAX_LENGTH, out.get(0).stop());
    }

    @Test
    void maxLengthTwoForcesEosOverBos() {
        List<Generated> out = run(new ScriptedLm(V, GeneratorTest::planned), BASE.withMaxNewTokens(1, "test"), 1,
                new long[] {3});
        assertArrayEquals(new long[] {2, 2}, out.get(0).tokens());
        assertEquals(StopReason.MAX_LENGTH, out.get(0).stop());
    }

    @Test
    void minLengthBlocksEosUntilTheSequenceIsLongEnough() {
        List<Generated> out = run(new ScriptedLm(V, GeneratorTest::planned), BASE.withMinLength(6), 1, new long[] {3});
        // EOS wanted at position 4 and 5 but banned (cur_len < 6, start token counted): runner-up 7
        assertArrayEquals(new long[] {2, 0, 3, 4, 7, 7, 2}, out.get(0).tokens());
        assertEquals(StopReason.EOS, out.get(0).stop());
    }

    @Test
    void noRepeatNgramBansTokensThatWouldRepeatABigram() {
        List<Generated> out = run(new ScriptedLm(V, GeneratorTest::planned), BASE.withNoRepeatNgramSize(2), 1,
                new long[] {6});
        // 6 6 is allowed once; then 6 is banned after 6, 7 follows; after "6 7 6" both 6 and 7 are banned
        assertArrayEquals(new long[] {2, 0, 6, 6, 7, 6, 2}, out.get(0).tokens());
    }

    @Test
    void bannedNgramEndingsFollowHuggingFace() {
        long[] seq = {2, 0, 5, 6, 5, 6, 5, 0, 0};
        assertArrayEquals(new long[] {6, 6}, ScoreRules.bannedNgramEndings(seq, 7, 2)); // after "5": 6 (twice)
        assertArrayEquals(new long[] {5}, ScoreRules.bannedNgramEndings(seq, 6, 3)); // after "5 6": 5
        assertArrayEquals(new long[] {}, ScoreRules.bannedNgramEndings(seq, 3, 3));
    }

    /** Greedy takes 3 (p .5) and ends with p .5·.35·.9; beam search finds 4 (p .4) then .9·.9. */
    private static float[] beamBeatsGreedy(long[] source, long[] prefix) {
        double rest;
        switch (prefix.length) {
            case 2:
                rest = 0.05 / 5;
                return logOf(rest, rest, 0.05, 0.5, 0.4, rest, rest, rest);
            case 3:
                if (prefix[2] == 3) return logOf(0.02, 0.02, 0.02, 0.02, 0.02, 0.35, 0.3, 0.25);
                rest = 0.1 / 7;
                return logOf(rest, rest, rest, rest, rest, 0.9, rest, rest);
            default:
                rest = 0.1 / 7;
                return logOf(rest, rest, 0.9, rest, rest, rest, rest, rest);
        }
    }

    @Test
    void beamSearchFindsTheMoreLikelySequenceWithItsHfScore() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::beamBeatsGreedy);
        assertArrayEquals(new long[] {2, 0, 3, 5, 2}, run(lm, BASE, 1, new long[] {3}).get(0).tokens());
        Generated beam = run(lm, BASE.withNumBeams(2), 1, new long[] {3}).get(0);
        assertArrayEquals(new long[] {2, 0, 4, 5, 2}, beam.tokens());
        assertEquals(StopReason.EOS, beam.stop());
        // sum of log-probs (forced BOS contributes 0) over the hypothesis length incl. start, excl. EOS
        float sum = (float) Math.log(0.4) + (float) Math.log(0.9) + (float) Math.log(0.9);
        assertEquals(sum / 4.0, beam.score(), 1e-6);
    }

    /** EOS right after BOS (p .5) or one more token (p .45) and then EOS (p .99). */
    private static float[] shortOrLong(long[] source, long[] prefix) {
        if (prefix.length == 2) {
            double rest = 0.05 / 6;
            return logOf(rest, rest, 0.5, 0.45, rest, rest, rest, rest);
        }
        if (prefix.length == 3 && prefix[2] == 3) {
            double rest = 0.01 / 7;
            return logOf(rest, rest, 0.99, rest, rest, rest, rest, rest);
        }
        double rest = 0.1 / 7;
        return logOf(rest, rest, 0.9, rest, rest, rest, rest, rest);
    }

    @Test
    void lengthPenaltyChoosesBetweenShortAndLongHypotheses() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::shortOrLong);
        GenerationConfig beams = BASE.withNumBeams(2);
        double shortSum = (float) Math.log(0.5);
        double longSum = (float) ((float) Math.log(0.45) + (float) Math.log(0.99));
        Generated lp1 = run(lm, beams, 1, new long[] {4}).get(0);
        assertArrayEquals(new long[] {2, 0, 3, 2}, lp1.tokens());
        assertEquals(longSum / 3, lp1.score(), 1e-6);
        Generated lp0 = run(lm, beams.withLengthPenalty(0.0), 1, new long[] {4}).get(0);
        assertArrayEquals(new long[] {2, 0, 2}, lp0.tokens());
        assertEquals(shortSum, lp0.score(), 1e-6);
        Generated lp2 = run(lm, beams.withLengthPenalty(2.0), 1, new long[] {4}).get(0);
        assertArrayEquals(new long[] {2, 0, 3, 2}, lp2.tokens());
        assertEquals(longSum / 9, lp2.score(), 1e-6);
    }

    @Test
    void beamSearchAtTheCapReportsMaxLength() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::planned); // source 6 never wants EOS
        Generated forced = run(lm, BASE.withNumBeams(3).withMaxNewTokens(5, "test"), 1, new long[] {6}).get(0);
        assertArrayEquals(new long[] {2, 0, 6, 6, 6, 2}, forced.tokens());
        assertEquals(StopReason.MAX_LENGTH, forced.stop());
        Generated open = run(lm, BASE.withNumBeams(3).withMaxNewTokens(5, "test").withForcedTokens(0, -1), 1,
                new long[] {6}).get(0);
        assertArrayEquals(new long[] {2, 0, 6, 6, 6, 6}, open.tokens(), "open beams are final hypotheses, no EOS");
        assertEquals(StopReason.MAX_LENGTH, open.stop());
    }

    /** Deterministic pseudo-random logits that depend on the whole source and prefix. */
    private static float[] noisy(long[] source, long[] prefix) {
        Random r = new Random(31L * Arrays.hashCode(source) + Arrays.hashCode(prefix));
        float[] logits = new float[V];
        for (int i = 0; i < V; i++) logits[i] = (float) (3 * r.nextGaussian());
        logits[EOS] -= 1.5f; // sequences of varied length, some reaching the cap
        return logits;
    }

    @Test
    void cachedUncachedBatchedAndPerInputSearchesAgree() {
        long[][] sources = {{0, 3, 4, 2}, {0, 5, 2}, {0, 6, 7, 3, 3, 2}, {0, 4, 2}, {0, 7, 2}};
        for (GenerationConfig cfg : List.of(BASE.withMaxLength(12, "test"),
                BASE.withMaxLength(12, "test").withNoRepeatNgramSize(2).withMinLength(4),
                BASE.withMaxLength(12, "test").withNumBeams(3),
                BASE.withMaxLength(12, "test").withNumBeams(3).withEarlyStopping(GenerationConfig.EarlyStopping.FALSE)
                        .withNoRepeatNgramSize(3),
                BASE.withMaxLength(12, "test").withNumBeams(4).withEarlyStopping(GenerationConfig.EarlyStopping.NEVER)
                        .withLengthPenalty(1.5))) {
            ScriptedLm lm = new ScriptedLm(V, GeneratorTest::noisy);
            List<Generated> batched = run(lm, cfg, 5, sources);
            List<Generated> uncached = new Generator(lm, cfg, 3).withoutCache().generate(manager, List.of(sources));
            List<Generated> single = run(lm, cfg, 1, sources);
            for (int i = 0; i < sources.length; i++) {
                String what = cfg + " source " + i;
                assertArrayEquals(batched.get(i).tokens(), uncached.get(i).tokens(), what);
                assertArrayEquals(batched.get(i).tokens(), single.get(i).tokens(), what);
                assertEquals(batched.get(i).score(), uncached.get(i).score(), 0.0, what);
                assertEquals(batched.get(i).score(), single.get(i).score(), 0.0, what);
                assertEquals(batched.get(i).stop(), single.get(i).stop(), what);
            }
            assertTrue(lm.decodeCalls() > 0 && lm.stepCalls() > 0);
        }
        assertTrue(manager.getManagedArrays().isEmpty());
    }

    @Test
    void stepsKeepTheBatchManagerFlat() {
        List<Integer> counts = new ArrayList<>();
        ScriptedLm inner = new ScriptedLm(V, GeneratorTest::planned);
        Seq2SeqLm counting = new org.dialtune.testing.StepCountingLm(inner, counts);
        run(counting, BASE.withNumBeams(3).withMaxLength(40, "test"), 1, new long[] {6});
        assertTrue(counts.size() > 10, "steps: " + counts.size());
        assertEquals(counts.get(2), counts.get(counts.size() - 1), "arrays alive at each step: " + counts);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused() {
        ScriptedLm lm = new ScriptedLm(V, GeneratorTest::planned);
        UserError e = assertThrows(UserError.class, () -> new Generator(lm, BASE.withForcedTokens(50, EOS), 1));
        assertEquals("generation setting forced_bos_token_id = 50 is outside the model's vocabulary (0..7);"
                + " fix config.json / generation_config.json", e.getMessage());
    }
}
