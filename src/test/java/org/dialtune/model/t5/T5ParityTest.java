package org.dialtune.model.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.nn.RelativePositionBias;
import org.dialtune.testing.Close;
import org.dialtune.train.AdamW;
import org.dialtune.train.Gradients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T5 v1.0 and v1.1 against transformers 5.18 itself: the golden outputs of two tiny checkpoints that
 * transformers wrote (fixtures.json beside them): encoder and decoder states, logits, loss, every
 * gradient, one AdamW step, greedy and beam search, relative position buckets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class T5ParityTest {
    private final Map<String, T5Model> models = new HashMap<>();

    private T5Model model(T5Fixture f) {
        return models.computeIfAbsent(f.name, k -> (T5Model) Checkpoint.load(f.dir));
    }

    @AfterAll
    void close() {
        models.values().forEach(T5Model::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void readsTheConfigAndHeadAsTransformersDoes(String name) {
        T5Fixture f = T5Fixture.load(name);
        T5Model model = model(f);
        JsonObject expected = f.root.getAsJsonObject("config");
        assertEquals(expected.get("scale_decoder_outputs").getAsBoolean(), model.config().scaleDecoderOutputs, name);
        assertEquals(expected.get("head_tied_to_shared").getAsBoolean(),
                !model.tensors().containsKey(T5Layout.LM_HEAD), name + ": head tied");
        assertEquals(name.equals(T5Fixture.V1_1), model.config().gatedActivation, name + ": gated feed-forward");
        assertEquals(3, model.config().numDecoderLayers);
        assertEquals(2, model.config().numLayers);
        assertTrue(model.config().innerDim() != model.config().dModel, "heads·d_kv != d_model");
    }

    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void relativePositionBucketsMatch(String name) {
        for (JsonElement e : T5Fixture.load(name).root.getAsJsonArray("relative_position_buckets")) {
            JsonObject t = e.getAsJsonObject();
            int first = t.get("first_relative_position").getAsInt();
            JsonArray buckets = t.getAsJsonArray("buckets");
            for (int i = 0; i < buckets.size(); i++) {
                int got = RelativePositionBias.bucket(first + i, t.get("bidirectional").getAsBoolean(),
                        t.get("num_buckets").getAsInt(), t.get("max_distance").getAsInt());
                assertEquals(buckets.get(i).getAsInt(), got, t + ": relative position " + (first + i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void forwardMatchesTransformers(String name) {
        T5Fixture f = T5Fixture.load(name);
        T5Model model = model(f);
        for (JsonElement b : f.batches()) {
            JsonObject batch = b.getAsJsonObject();
            JsonObject exp = batch.getAsJsonObject("expected");
            String tag = name + " " + batch.get("name").getAsString();
            try (NDManager m = model.manager().getParentManager().newSubManager()) {
                NDArray ids = T5Fixture.ids(m, batch, "input_ids");
                NDArray mask = T5Fixture.ids(m, batch, "attention_mask");
                NDArray labels = T5Fixture.ids(m, batch, "labels");
                NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 0, 0);
                assertArrayEquals(Close.flat(batch.get("decoder_input_ids")),
                        Arrays.stream(decIn.toLongArray()).asDoubleStream().toArray(), tag + ": shifted labels");
                NDArray enc = model.encode(ids, mask, false);
                double[] encExpected = Close.flat(exp.getAsJsonObject("encoder_last_hidden_state").get("values"));
                Close.abs(tag + " encoder states", encExpected, Close.values(enc), statesTol(encExpected));
                NDArray dec = model.decoderHiddenStates(enc, mask, decIn, false);
                double[] decExpected = Close.flat(exp.getAsJsonObject("decoder_last_hidden_state").get("values"));
                Close.abs(tag + " decoder states", decExpected, Close.values(dec), statesTol(decExpected));
                NDArray logits = model.logits(dec);
                JsonObject lx = exp.getAsJsonObject("logits");
                assertEquals(lx.get("shape").toString(), Arrays.toString(logits.getShape().getShape()).replace(" ", ""));
                double tol = 3e-5 * Math.max(1, lx.getAsJsonObject("checksums").get("max").getAsDouble());
                Close.abs(tag + " logits at labels", Close.flat(lx.get("at_label_ids")),
                        Close.values(gatherLabels(logits, labels)), tol);
                Close.abs(tag + " every 8th logit", Close.flat(lx.get("every_8th_vocab")),
                        Close.values(logits.get(":, :, ::8")), tol);
                Close.abs(tag + " logsumexp", Close.flat(lx.get("per_position_logsumexp")),
                        Close.values(logits.logSoftmax(-1).neg().add(logits).get(":, :, 0")), tol);
                Close.abs(tag + " max logit", Close.flat(lx.get("per_position_max")),
                        Close.values(logits.max(new int[] {-1})), tol);
                assertArrayEquals(Close.flat(lx.get("per_position_argmax")),
                        Arrays.stream(logits.argMax(-1).toLongArray()).asDoubleStream().toArray(), tag + " argmax");
                Close.rel(tag + " logits abs sum", lx.getAsJsonObject("checksums").get("abs_sum").getAsDouble(),
                        logits.abs().sum().getFloat(), 1e-5, 0);
                TokenCrossEntropy.Result loss = new TokenCrossEntropy(0f).compute(logits, labels);
                Close.rel(tag + " loss", exp.get("loss").getAsDouble(), loss.loss().getFloat(), 1e-5, 0);
                Close.rel(tag + " nll_sum", exp.get("nll_sum").getAsDouble(), loss.nllSum().getFloat(), 1e-5, 0);
                assertEquals(exp.get("num_label_tokens").getAsInt(), (int) loss.tokens().getFloat(), tag);
            }
        }
    }

    /** 1e-5 of the largest state (float32 rounding grows with the values: v1.0's reach about 5). */
    private static double statesTol(double[] expected) {
        double max = 1;
        for (double v : expected) max = Math.max(max, Math.abs(v));
        return 1e-5 * max;
    }

    /** logits[b, t, labels[b, t]] (label -100 reads row 0; the fixture has null there, which is skipped). */
    private static NDArray gatherLabels(NDArray logits, NDArray labels) {
        NDArray safe = labels.maximum(0).expandDims(-1);
        return logits.gather(safe, 2).squeeze(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void gradientsAndAdamWStepMatchTransformers(String name) {
        T5Fixture f = T5Fixture.load(name);
        JsonObject tr = f.training();
        JsonObject batch = f.batch(tr.get("batch").getAsString());
        try (T5Model model = (T5Model) Checkpoint.load(f.dir);
             NDManager m = model.manager().getParentManager().newSubManager()) {
            Map<String, NDArray> params = model.setTrainable(n -> true);
            JsonObject grads = tr.getAsJsonObject("grads");
            assertEquals(grads.keySet(), params.keySet(), "the trainable tensors are transformers' parameters");
            assertEquals(tr.get("num_trainable_parameters").getAsLong(),
                    params.values().stream().mapToLong(a -> a.getShape().size()).sum());
            NDArray ids = T5Fixture.ids(m, batch, "input_ids");
            NDArray mask = T5Fixture.ids(m, batch, "attention_mask");
            NDArray labels = T5Fixture.ids(m, batch, "labels");
            NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 0, 0);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new TokenCrossEntropy(0f).compute(model.forward(ids, mask, decIn, true), labels).loss();
                Close.rel(name + " loss", tr.get("loss").getAsDouble(), loss.getFloat(), 1e-5, 0);
                gc.backward(loss);
            }
            Map<String, NDArray> g = Gradients.of(params, m);
            for (Map.Entry<String, JsonElement> e : grads.entrySet()) {
                JsonObject x = e.getValue().getAsJsonObject();
                String tag = name + " grad " + e.getKey();
                NDArray grad = g.get(e.getKey());
                double norm = x.get("l2_norm").getAsDouble();
                Close.rel(tag + " norm", norm, Math.sqrt(grad.square().sum().getFloat()), 1e-4, 1e-7);
                Close.rel(tag + " abs sum", x.get("abs_sum").getAsDouble(), grad.abs().sum().getFloat(), 1e-4, 1e-7);
                Close.abs(tag + " samples", Close.flat(x.get("samples")),
                        sample(grad, T5Fixture.longs(x.get("sample_indices"))), Math.max(1e-4 * norm, 1e-8));
            }
            Close.rel(name + " global grad norm", tr.get("global_grad_l2_norm").getAsDouble(),
                    Gradients.globalNorm(g), 1e-4, 0);
            JsonObject opt = tr.getAsJsonObject("optimizer");
            AdamW.Settings settings = new AdamW.Settings(opt.getAsJsonArray("betas").get(0).getAsDouble(),
                    opt.getAsJsonArray("betas").get(1).getAsDouble(), opt.get("eps").getAsDouble(),
                    opt.get("weight_decay").getAsDouble(), ModelFamilies.of(model.config())::decays);
            try (AdamW adamw = new AdamW(params, settings)) {
                adamw.step(opt.get("lr").getAsDouble(), m);
            }
            JsonObject after = tr.getAsJsonObject("params_after_one_adamw_step");
            for (Map.Entry<String, JsonElement> e : after.entrySet()) {
                JsonObject x = e.getValue().getAsJsonObject();
                NDArray p = params.get(e.getKey());
                Close.abs(name + " param after step " + e.getKey(), Close.flat(x.get("samples")),
                        sample(p, T5Fixture.longs(grads.getAsJsonObject(e.getKey()).get("sample_indices"))), 2e-6);
                double sum = 0;
                for (float v : Close.values(p)) sum += v;
                Close.rel(name + " param sum after step " + e.getKey(), x.get("sum").getAsDouble(), sum, 1e-5, 1e-3);
            }
            NDArray logits = model.forward(ids, mask, decIn, false);
            Close.rel(name + " loss after step", tr.get("loss_after_one_adamw_step").getAsDouble(),
                    new TokenCrossEntropy(0f).compute(logits, labels).loss().getFloat(), 1e-5, 0);
            Close.rel(name + " logits abs sum after step", tr.getAsJsonObject("logits_after_one_adamw_step_checksums")
                    .get("abs_sum").getAsDouble(), logits.abs().sum().getFloat(), 1e-5, 0);
        }
    }

    private static float[] sample(NDArray a, long[] indices) {
        float[] all = Close.values(a);
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = all[(int) indices[i]];
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void greedyAndBeamSearchMatchTransformers(String name) {
        T5Fixture f = T5Fixture.load(name);
        T5Model model = model(f);
        JsonObject gen = f.root.getAsJsonObject("generation");
        NDManager parent = model.manager().getParentManager();
        int cases = 0;
        for (String kind : List.of("greedy", "beam")) {
            for (JsonElement c : gen.getAsJsonArray(kind)) {
                JsonObject fx = c.getAsJsonObject();
                JsonObject kw = fx.getAsJsonObject("kwargs");
                String tag = name + " " + kind + " " + fx.get("batch").getAsString();
                List<long[]> sources = T5Fixture.sources(f.batch(fx.get("batch").getAsString()));
                GenerationConfig cfg = GenerationConfig.forModel(model.config(), f.dir)
                        .withNumBeams(kw.get("num_beams").getAsInt())
                        .withMaxNewTokens(kw.get("max_new_tokens").getAsInt(), "fixture");
                if (kw.has("length_penalty")) cfg = cfg.withLengthPenalty(kw.get("length_penalty").getAsDouble());
                if (kw.has("early_stopping")) {
                    cfg = cfg.withEarlyStopping(kw.get("early_stopping").getAsBoolean()
                            ? GenerationConfig.EarlyStopping.TRUE : GenerationConfig.EarlyStopping.FALSE);
                }
                assertEquals(fx.get("max_length").getAsInt(), cfg.maxLength(), tag + ": max_length");
                List<Generated> out = new Generator(model, cfg, sources.size()).generate(parent, sources);
                List<Generated> single = new Generator(model, cfg, 1).withoutCache().generate(parent, sources);
                JsonArray expected = fx.getAsJsonArray("sequences");
                for (int r = 0; r < sources.size(); r++) {
                    long[] exp = T5Fixture.longs(expected.get(r));
                    long[] got = Arrays.copyOf(out.get(r).tokens(), exp.length); // HF pads finished rows with 0
                    assertArrayEquals(exp, got, tag + " row " + r);
                    assertArrayEquals(out.get(r).tokens(), single.get(r).tokens(), tag + " uncached, alone, row " + r);
                    if (kind.equals("beam")) {
                        assertEquals(fx.getAsJsonArray("sequence_scores").get(r).getAsDouble(), out.get(r).score(),
                                1e-5, tag + " row " + r + " score");
                    }
                }
                cases++;
            }
        }
        assertEquals(5, cases);
    }
}
