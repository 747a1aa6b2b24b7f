package org.dialtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.checkpoint.CheckpointTensors;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.generate.StopReason;
import org.dialtune.testing.StepCountingLm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every model family must satisfy, whatever its architecture; a family's test extends this and
 * gives a tiny config (random weights large enough that outputs depend on the input). The model is
 * built through the registry ({@link ModelFamilies}), as the CLI builds it, and saved and loaded
 * through {@code Checkpoint}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Seq2SeqLmContract {
    /** Float32 agreement between two computations of the same values in a different order. */
    private static final double TOLERANCE = 1e-5;

    private Seq2SeqLm model;
    private ModelConfig config;

    /** A {@code config.json} object of a tiny model of the family ({@code model_type} included). */
    protected abstract JsonObject tinyConfig();

    @BeforeAll
    void buildModel() {
        config = ModelFamilies.config(tinyConfig(), Path.of("<contract>"));
        model = ModelFamilies.of(config).random(config, Device.cpu(), 11);
    }

    @AfterAll
    void closeModel() {
        model.close();
    }

    /** Text ids: no special token among them. */
    private long[] text(SplittableRandom rnd, int n) {
        int first = Math.max(Math.max(config.padTokenId(), config.eosTokenId()), config.bosTokenId()) + 1;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = first + rnd.nextInt(config.vocabSize() - first);
        return ids;
    }

    /** Sources as the tokenizer makes them: BOS if the family has one, text, EOS; lengths differ. */
    private List<long[]> sources() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<long[]> out = new ArrayList<>();
        for (int len : new int[] {9, 4, 7}) {
            long[] t = text(rnd, len);
            boolean bos = config.bosTokenId() >= 0;
            long[] s = new long[len + (bos ? 2 : 1)];
            if (bos) s[0] = config.bosTokenId();
            System.arraycopy(t, 0, s, bos ? 1 : 0, len);
            s[s.length - 1] = config.eosTokenId();
            out.add(s);
        }
        return out;
    }

    /** The sources' encoder states and padding mask, decoder inputs, and the teacher-forced logits over them. */
    private record TeacherForced(NDArray mask, NDArray encoded, NDArray decoderInputs, NDArray logits) {}

    private TeacherForced teacherForced(NDManager m, List<long[]> sources) {
        TokenBatch b = TokenBatch.pad(sources, config.padTokenId());
        NDArray mask = b.mask(m);
        NDArray enc = model.encode(b.ids(m), mask, false);
        NDArray dec = decoderInputs(m, sources.size());
        return new TeacherForced(mask, enc, dec, model.decode(enc, mask, dec, false));
    }

    /** Decoder inputs {@code [rows, 6]}: the start token, then text. */
    private NDArray decoderInputs(NDManager m, int rows) {
        SplittableRandom rnd = new SplittableRandom(6);
        long[][] ids = new long[rows][];
        for (int r = 0; r < rows; r++) {
            ids[r] = text(rnd, 6);
            ids[r][0] = config.decoderStartTokenId();
        }
        return m.create(ids);
    }

    private float[] teacherForced(Seq2SeqLm lm, NDManager m, List<long[]> sources) {
        TokenBatch b = TokenBatch.pad(sources, config.padTokenId());
        NDArray mask = b.mask(m);
        return lm.forward(b.ids(m), mask, decoderInputs(m, sources.size()), false).toFloatArray();
    }

    @Test
    void savedAndLoadedThroughTheRegistryTheModelIsBitIdentical(@TempDir Path dir) throws IOException {
        Checkpoint.save(model, dir.resolve("a"), null);
        try (Seq2SeqLm back = Checkpoint.load(dir.resolve("a")); NDManager m = NDManager.newBaseManager()) {
            assertEquals(config.toJson(), back.config().toJson());
            assertEquals(List.copyOf(model.tensors().keySet()), List.copyOf(back.tensors().keySet()), "names, in HF order");
            for (Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
                assertEquals(e.getValue().toByteBuffer(), back.tensors().get(e.getKey()).toByteBuffer(), e.getKey());
            }
            assertEquals(List.copyOf(model.parameters().keySet()), List.copyOf(back.parameters().keySet()));
            assertArrayEquals(teacherForced(model, m, sources()), teacherForced(back, m, sources()), 0f);
            Checkpoint.save(back, dir.resolve("b"), null);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(CheckpointTensors.SINGLE)),
                Files.readAllBytes(dir.resolve("b").resolve(CheckpointTensors.SINGLE)), "a reloaded model saves the same bytes");
    }

    @Test
    void cachedDecodingStepsGiveTheTeacherForcedLogits() {
        List<long[]> sources = sources();
        int v = config.vocabSize();
        try (NDManager m = NDManager.newBaseManager()) {
            TeacherForced tf = teacherForced(m, sources);
            NDArray mask = tf.mask();
            NDArray enc = tf.encoded();
            NDArray dec = tf.decoderInputs();
            NDArray forced = tf.logits();
            try (DecoderCache cache = model.startDecoding(enc, mask)) {
                for (int t = 0; t < dec.getShape().get(1); t++) {
                    assertEquals(t, cache.length());
                    NDArray step = model.decodeStep(cache, dec.get(new NDIndex(":, {}", t)));
                    assertEquals(new ai.djl.ndarray.types.Shape(sources.size(), v), step.getShape());
                    assertClose(forced.get(new NDIndex(":, {}, :", t)).toFloatArray(), step.toFloatArray(), "step " + t);
                }
            }
        }
    }

    @Test
    void severalPositionsPerStepAndForkedCachesGiveTheTeacherForcedLogits() {
        List<long[]> sources = sources();
        try (NDManager m = NDManager.newBaseManager()) {
            TeacherForced tf = teacherForced(m, sources);
            NDArray mask = tf.mask();
            NDArray enc = tf.encoded();
            NDArray dec = tf.decoderInputs();
            NDArray forced = tf.logits();
            try (DecoderCache cache = model.startDecoding(enc, mask)) {
                NDArray first = model.decodeSteps(cache, dec.get(new NDIndex(":, 0:2")));
                assertEquals(2, cache.length());
                assertClose(forced.get(new NDIndex(":, 0:2, :")).toFloatArray(), first.toFloatArray(), "positions 0-1");
                NDArray reversed = m.create(new long[] {2, 1, 0});
                try (DecoderCache fork = cache.fork(reversed)) {
                    NDArray rest = model.decodeSteps(fork, dec.get(reversed).get(new NDIndex(":, 2:")));
                    assertClose(forced.get(reversed).get(new NDIndex(":, 2:, :")).toFloatArray(), rest.toFloatArray(),
                            "positions 2-5 of the fork, rows reversed");
                }
                NDArray rest = model.decodeSteps(cache, dec.get(new NDIndex(":, 2:")));
                assertClose(forced.get(new NDIndex(":, 2:, :")).toFloatArray(), rest.toFloatArray(),
                        "positions 2-5: the fork left its parent as it was");
            }
            // one source's cache serving several rows (option scoring): its cross-attention keys/values are not copied
            NDArray one = enc.get(new NDIndex("1:2"));
            NDArray oneMask = mask.get(new NDIndex("1:2"));
            NDArray forcedOne = model.decode(one.repeat(0, 3), oneMask.repeat(0, 3), dec, false);
            try (DecoderCache cache = model.startDecoding(one, oneMask)) {
                model.decodeSteps(cache, dec.get(new NDIndex("0:1, 0:1")));
                try (DecoderCache rows = cache.fork(m.zeros(new ai.djl.ndarray.types.Shape(3), ai.djl.ndarray.types.DataType.INT64))) {
                    NDArray rest = model.decodeSteps(rows, dec.get(new NDIndex(":, 1:")));
                    assertClose(forcedOne.get(new NDIndex(":, 1:, :")).toFloatArray(), rest.toFloatArray(),
                            "three rows continuing one source's shared first position");
                }
            }
        }
    }

    @Test
    void paddingInABatchDoesNotChangeARow() {
        List<long[]> sources = sources();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] batched = teacherForced(model, m, sources);
            int per = batched.length / sources.size();
            // every row alone, with the same decoder inputs as in the batch
            NDArray dec = decoderInputs(m, sources.size());
            for (int r = 0; r < sources.size(); r++) {
                TokenBatch one = TokenBatch.pad(List.of(sources.get(r)), config.padTokenId());
                NDArray d = dec.get(new NDIndex("{}:{}", r, r + 1));
                float[] single = model.forward(one.ids(m), one.mask(m), d, false).toFloatArray();
                assertClose(java.util.Arrays.copyOfRange(batched, r * per, (r + 1) * per), single, "row " + r);
            }
        }
    }

    /** Plain search: no forced tokens, no length or repetition rules, so the search alone is judged. */
    private GenerationConfig search(int beams, double lengthPenalty) {
        return new GenerationConfig(12, 0, beams, lengthPenalty, GenerationConfig.EarlyStopping.TRUE, 0, -1, -1,
                config.decoderStartTokenId(), config.eosTokenId(), config.padTokenId(), "contract");
    }

    /** Log-probabilities of each token after the start token, teacher-forced. */
    private double[] logProbs(NDManager m, long[] source, long[] tokens) {
        TokenBatch one = TokenBatch.pad(List.of(source), config.padTokenId());
        NDArray dec = m.create(java.util.Arrays.copyOf(tokens, tokens.length - 1)).reshape(1, tokens.length - 1);
        NDArray lp = model.forward(one.ids(m), one.mask(m), dec, false).logSoftmax(-1);
        double[] out = new double[tokens.length - 1];
        for (int i = 1; i < tokens.length; i++) out[i - 1] = lp.getFloat(0, i - 1, tokens[i]);
        return out;
    }

    @Test
    void greedySearchFollowsTheTeacherForcedArgmaxAndTheCacheChangesNothing() {
        List<long[]> sources = sources();
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g = new Generator(model, search(1, 1.0), 2);
            List<Generated> out = g.generate(m, sources);
            List<Generated> uncached = g.withoutCache().generate(m, sources);
            for (int r = 0; r < sources.size(); r++) {
                long[] tokens = out.get(r).tokens();
                assertArrayEquals(uncached.get(r).tokens(), tokens, "row " + r + " without the cache");
                assertEquals(config.decoderStartTokenId(), tokens[0]);
                assertTrue(tokens.length <= 12, "max_length counts the start token");
                assertEquals(tokens[tokens.length - 1] == config.eosTokenId() ? StopReason.EOS : StopReason.MAX_LENGTH,
                        out.get(r).stop());
                TokenBatch one = TokenBatch.pad(List.of(sources.get(r)), config.padTokenId());
                NDArray dec = m.create(java.util.Arrays.copyOf(tokens, tokens.length - 1)).reshape(1, tokens.length - 1);
                long[] argmax = model.forward(one.ids(m), one.mask(m), dec, false).argMax(-1).toLongArray();
                assertArrayEquals(java.util.Arrays.copyOfRange(tokens, 1, tokens.length), argmax, "row " + r);
            }
        }
    }

    @Test
    void beamSearchScoresAreTheSequencesLogLikelihoodsAndTheCacheChangesNothing() {
        List<long[]> sources = sources();
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g = new Generator(model, search(3, 0.0), 2); // length penalty 0: the score is the sum
            List<Generated> out = g.generate(m, sources);
            List<Generated> uncached = g.withoutCache().generate(m, sources);
            for (int r = 0; r < sources.size(); r++) {
                Generated best = out.get(r);
                assertArrayEquals(uncached.get(r).tokens(), best.tokens(), "row " + r + " without the cache");
                assertEquals(uncached.get(r).score(), best.score(), 1e-4, "row " + r + " score without the cache");
                assertTrue(best.tokens().length <= 12 && best.tokens()[0] == config.decoderStartTokenId());
                double sum = 0;
                for (double lp : logProbs(m, sources.get(r), best.tokens())) sum += lp;
                assertEquals(sum, best.score(), 1e-4, "row " + r + ": score = summed log-probabilities");
            }
        }
    }

    @Test
    void inferencePassesKeepOnlyEachLayersOutput() {
        List<long[]> sources = sources();
        try (NDManager m = model.manager().newSubManager()) {
            TokenBatch b = TokenBatch.pad(sources, config.padTokenId());
            NDArray ids = b.ids(m);
            NDArray mask = b.mask(m);
            NDArray decIn = decoderInputs(m, sources.size());
            int before = m.getManagedArrays().size();
            NDArray enc = model.encode(ids, mask, false);
            int afterEncode = m.getManagedArrays().size();
            model.decode(enc, mask, decIn, false);
            int afterDecode = m.getManagedArrays().size();
            // layer outputs, embeddings and masks stay; the scores, probabilities and feed-forward
            // activations of every layer (dozens of arrays per layer) must be gone
            assertTrue(afterEncode - before <= 30, "arrays left by encode: " + (afterEncode - before));
            assertTrue(afterDecode - afterEncode <= 40, "arrays left by decode: " + (afterDecode - afterEncode));
            assertArrayEquals(teacherForced(model, m, sources), model.decode(enc, mask, decIn, false).toFloatArray(), 0f,
                    "the kept outputs are intact and the same as the whole forward pass");
        }
    }

    @Test
    void decodingAndTrainingLeaveNothingInTheModelsManager() {
        List<long[]> sources = sources();
        NDManager root = model.manager();
        int before = root.getManagedArrays().size();
        List<Integer> counts = new ArrayList<>();
        try (NDManager m = root.newSubManager()) {
            new Generator(new StepCountingLm(model, counts), search(1, 1.0), 3).generate(m, sources);
            new Generator(new StepCountingLm(model, counts), search(3, 1.0), 3).generate(m, sources);
        }
        assertTrue(counts.size() > 4, "decoding steps were counted");
        assertEquals(before, root.getManagedArrays().size(), "generation");
        List<Integer> greedySteps = new ArrayList<>();
        try (NDManager m = root.newSubManager()) {
            new Generator(new StepCountingLm(model, greedySteps), search(1, 1.0), 3).generate(m, sources);
        }
        // from the second step on the cache holds one self-attention key/value set per layer, replaced each step
        assertTrue(greedySteps.size() > 3, "steps: " + greedySteps);
        assertEquals(1, greedySteps.subList(1, greedySteps.size()).stream().distinct().count(),
                "arrays held by the batch's manager stay flat over steps: " + greedySteps);
        model.setTrainable(n -> true);
        try {
            for (int step = 0; step < 3; step++) {
                try (NDManager m = root.newSubManager()) {
                    TokenBatch b = TokenBatch.pad(sources, config.padTokenId());
                    NDArray labels = decoderInputs(m, sources.size());
                    NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, config.padTokenId(),
                            config.decoderStartTokenId());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(b.ids(m), b.mask(m), decIn, true);
                        gc.backward(new TokenCrossEntropy(0f).compute(logits, labels).loss());
                    }
                }
                assertEquals(before, root.getManagedArrays().size(), "training step " + step);
            }
        } finally {
            model.setTrainable(n -> false);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOLERANCE) {
                throw new AssertionError(what + ": value " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
