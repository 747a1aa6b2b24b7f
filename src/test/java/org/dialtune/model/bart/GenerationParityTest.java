package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.generate.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy and beam search on both tiny checkpoints against the HF reference ({@code generation.greedy[]}
 * and {@code generation.beam[]} of fixtures.json): token ids exactly, beam sequence scores within 1e-5;
 * the KV cache, batching and batch size do not change the result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationParityTest {
    private final Map<String, BartModel> models = new HashMap<>();

    private BartModel model(BartFixture f) {
        return models.computeIfAbsent(f.dir.toString(), k -> (BartModel) Checkpoint.load(f.dir));
    }

    @AfterAll
    void close() {
        models.values().forEach(BartModel::close);
    }

    /** The fixture batch's inputs without their padding. */
    private static List<long[]> sources(BartFixture f, String batchName) {
        for (JsonElement b : f.batches()) {
            JsonObject batch = b.getAsJsonObject();
            if (!batch.get("name").getAsString().equals(batchName)) continue;
            List<long[]> out = new ArrayList<>();
            JsonArray ids = batch.getAsJsonArray("input_ids");
            JsonArray mask = batch.getAsJsonArray("attention_mask");
            for (int r = 0; r < ids.size(); r++) {
                long[] row = new long[ids.get(r).getAsJsonArray().size()];
                int n = 0;
                for (int i = 0; i < row.length; i++) {
                    if (mask.get(r).getAsJsonArray().get(i).getAsInt() == 1) {
                        row[n++] = ids.get(r).getAsJsonArray().get(i).getAsLong();
                    }
                }
                out.add(Arrays.copyOf(row, n));
            }
            return out;
        }
        throw new IllegalArgumentException(batchName);
    }

    /** The generation settings of a fixture case over the checkpoint's defaults. */
    private static GenerationConfig settings(BartModel model, BartFixture f, JsonObject kwargs) {
        GenerationConfig g = GenerationConfig.forModel(model.config(), f.dir)
                .withNumBeams(kwargs.get("num_beams").getAsInt())
                .withMaxLength(kwargs.get("max_length").getAsInt(), "fixture")
                .withMinLength(kwargs.get("min_length").getAsInt())
                .withNoRepeatNgramSize(kwargs.get("no_repeat_ngram_size").getAsInt());
        if (kwargs.has("length_penalty")) g = g.withLengthPenalty(kwargs.get("length_penalty").getAsDouble());
        if (kwargs.has("early_stopping")) {
            g = g.withEarlyStopping(kwargs.get("early_stopping").getAsBoolean()
                    ? GenerationConfig.EarlyStopping.TRUE : GenerationConfig.EarlyStopping.FALSE);
        }
        return g;
    }

    /** HF pads a batch's sequences to the longest with the pad id; ours come unpadded. */
    private static long[] padded(long[] tokens, int width) {
        long[] out = Arrays.copyOf(tokens, width);
        Arrays.fill(out, tokens.length, width, 1);
        return out;
    }

    private void check(String name, String kind) {
        BartFixture f = BartFixture.load(name);
        BartModel model = model(f);
        JsonArray cases = f.root.getAsJsonObject("generation").getAsJsonArray(kind);
        assertTrue(cases.size() >= 2, kind + " cases");
        NDManager parent = model.manager().getParentManager();
        for (JsonElement c : cases) {
            JsonObject fx = c.getAsJsonObject();
            String tag = name + " " + kind + " " + fx.get("batch").getAsString();
            List<long[]> sources = sources(f, fx.get("batch").getAsString());
            GenerationConfig cfg = settings(model, f, fx.getAsJsonObject("kwargs"));
            List<Generated> batched = new Generator(model, cfg, sources.size()).generate(parent, sources);
            JsonArray expected = fx.getAsJsonArray("sequences");
            for (int r = 0; r < sources.size(); r++) {
                long[] exp = Json2.longs(expected.get(r));
                assertArrayEquals(exp, padded(batched.get(r).tokens(), exp.length), tag + " row " + r);
                if (kind.equals("beam")) {
                    double score = fx.getAsJsonArray("sequence_scores").get(r).getAsDouble();
                    assertEquals(score, batched.get(r).score(), 1e-5, tag + " row " + r + " score");
                }
            }
            List<Generated> single = new Generator(model, cfg, 1).generate(parent, sources);
            List<Generated> uncached = new Generator(model, cfg, sources.size()).withoutCache().generate(parent, sources);
            for (int r = 0; r < sources.size(); r++) {
                assertArrayEquals(batched.get(r).tokens(), single.get(r).tokens(), tag + " per-input row " + r);
                assertArrayEquals(batched.get(r).tokens(), uncached.get(r).tokens(), tag + " uncached row " + r);
                assertEquals(batched.get(r).stop(), single.get(r).stop(), tag);
                if (kind.equals("beam")) {
                    assertEquals(batched.get(r).score(), single.get(r).score(), 1e-6, tag + " per-input score");
                    assertEquals(batched.get(r).score(), uncached.get(r).score(), 1e-6, tag + " uncached score");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bart", "tiny-bart-std0.2"})
    void greedyMatchesReference(String name) {
        check(name, "greedy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bart", "tiny-bart-std0.2"})
    void beamMatchesReference(String name) {
        check(name, "beam");
    }

    /**
     * No length settings: the checkpoint's generation_config.json (4 beams, early stopping, forced
     * BOS/EOS) and transformers 5's default of 20 new tokens. The expected ids are transformers 5.18's
     * bare {@code model.generate(input_ids, attention_mask)} on batch_1 (run by hand).
     */
    @Test
    void bareGenerateEqualsTransformersDefaults() {
        BartFixture f = BartFixture.load("tiny-bart-std0.2");
        BartModel model = model(f);
        GenerationConfig cfg = GenerationConfig.forModel(model.config(), f.dir);
        assertEquals(4, cfg.numBeams(), "num_beams from generation_config.json");
        assertEquals(21, cfg.maxLength(), "decoder start token + 20 new tokens");
        assertEquals("transformers' default of 20 new tokens, max_length", cfg.maxLengthOrigin());
        List<Generated> out = new Generator(model, cfg, 2).generate(model.manager().getParentManager(),
                sources(f, "batch_1"));
        long[][] hf = {
            {2, 0, 30598, 37495, 37495, 47432, 47432, 47432, 31713, 31713, 37495, 37495, 37495, 8714, 8714, 8714, 8714,
                8714, 47432, 47432, 2},
            {2, 0, 18110, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255, 27255,
                27255, 27255, 27255, 27255, 2}};
        for (int i = 0; i < hf.length; i++) {
            assertArrayEquals(hf[i], out.get(i).tokens(), "row " + i);
            assertEquals(StopReason.MAX_LENGTH, out.get(i).stop(), "EOS at position 20 was forced by the cap");
        }
    }

    @Test
    void nativeMemoryStaysFlatAcrossDecodingSteps() {
        BartFixture f = BartFixture.load("tiny-bart-std0.2");
        BartModel model = model(f);
        List<Integer> alive = new ArrayList<>();
        Seq2SeqLm counting = new org.dialtune.testing.StepCountingLm(model, alive);
        NDManager parent = model.manager().getParentManager();
        int before = parent.getManagedArrays().size();
        GenerationConfig cfg = GenerationConfig.forModel(model.config(), f.dir).withMaxNewTokens(60, "test")
                .withForcedTokens(0, -1);
        new Generator(counting, cfg, 2).generate(parent, sources(f, "batch_3"));
        assertTrue(alive.size() >= 20, "steps: " + alive.size());
        assertEquals(alive.get(2), alive.get(alive.size() - 1), "arrays alive at each step: " + alive);
        assertEquals(before, parent.getManagedArrays().size(), "nothing left behind");
    }

    /** Small JSON helpers local to this test. */
    private static final class Json2 {
        static long[] longs(JsonElement e) {
            JsonArray a = e.getAsJsonArray();
            long[] out = new long[a.size()];
            for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
            return out;
        }
    }
}
