package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.lora.Lora;
import org.dialtune.model.lora.LoraSettings;
import org.dialtune.model.lora.PeftAdapter;
import org.dialtune.pipeline.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each training method trains exactly the parameters it names (BART and T5), leaves the others bit for
 * bit, gives AdamW state for the trained ones only; LoRA starts as the base model and saves as PEFT does.
 */
class TrainingMethodTest {
    @TempDir Path dir;

    /** A random BART of two encoder and two decoder layers, 16 wide. */
    static Seq2SeqLm bart() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "bart");
        c.addProperty("d_model", 16);
        c.addProperty("encoder_layers", 2);
        c.addProperty("decoder_layers", 2);
        c.addProperty("encoder_attention_heads", 2);
        c.addProperty("decoder_attention_heads", 2);
        c.addProperty("encoder_ffn_dim", 32);
        c.addProperty("decoder_ffn_dim", 32);
        c.addProperty("max_position_embeddings", 32);
        c.addProperty("vocab_size", 40);
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        return ModelFamilies.of(config).random(config, Device.cpu(), 3);
    }

    /** The tiny T5 v1.1 (gated feed-forward; 2 encoder, 3 decoder blocks) that transformers wrote. */
    static Seq2SeqLm t5() {
        return Checkpoint.load(t5Dir());
    }

    static Path t5Dir() {
        try {
            return Path.of(TrainingMethodTest.class.getResource("/org/dialtune/model/t5/t5-v1_1").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private StageSpec.Method method(String json) throws IOException {
        Path f = dir.resolve("stage.json");
        Files.writeString(f, "{\"name\": \"s\", \"tasks\": [\"a\"], \"steps\": 1, \"method\": " + json + "}");
        return RunSpec.load(f).stages().get(0).method();
    }

    private static Set<String> names(Map<String, NDArray> m) {
        return new TreeSet<>(m.keySet());
    }

    private static Set<String> select(Seq2SeqLm model, Predicate<String> p) {
        return model.parameters().keySet().stream().filter(p).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void bartMethodsTrainTheNamedParameters() throws IOException {
        try (Seq2SeqLm m = bart()) {
            TrainingMethod.Prepared full = TrainingMethod.apply(m, method("{\"kind\": \"full\"}"), 1, null, "stage \"s\"");
            assertEquals(names(m.parameters()), names(full.trainable()));
            assertEquals(full.totalCount(), full.trainableCount());

            TrainingMethod.Prepared bitfit = TrainingMethod.apply(m, method("{\"kind\": \"bitfit\"}"), 1, null, "s");
            Set<String> biases = select(m, n -> n.endsWith(".bias"));
            assertEquals(biases, names(bitfit.trainable()));
            assertEquals(2 * 8 + 2 * 13 + 2, biases.size()); // per enc/dec layer 8/13 biases, 2 embedding LNs

            TrainingMethod.Prepared frozen = TrainingMethod.apply(m, method(
                    "{\"kind\": \"freeze\", \"freeze_embeddings\": true, \"freeze_encoder_layers\": 1, \"freeze_decoder_layers\": 2}"),
                    1, null, "s");
            Set<String> expected = select(m, n -> !n.equals("model.shared.weight") && !n.contains("embed_positions")
                    && !n.startsWith("model.encoder.layers.0.") && !n.startsWith("model.decoder.layers."));
            assertEquals(expected, names(frozen.trainable()));
            assertTrue(expected.contains("model.encoder.layers.1.fc1.weight"));
            assertTrue(expected.contains("model.decoder.layernorm_embedding.weight"));
        }
    }

    @Test
    void bartLoraTrainsAdaptersOnTheTargetsOnly() throws IOException {
        try (Seq2SeqLm m = bart()) {
            TrainingMethod.Prepared lora = TrainingMethod.apply(m, method(
                    "{\"kind\": \"lora\", \"lora\": {\"r\": 4, \"alpha\": 8, \"targets\": [\"v_proj\", \"fc2\"]}}"), 1, null, "s");
            Set<String> expected = new TreeSet<>();
            for (String module : List.of("model.encoder.layers.0.self_attn.v_proj", "model.encoder.layers.0.fc2",
                    "model.encoder.layers.1.self_attn.v_proj", "model.encoder.layers.1.fc2",
                    "model.decoder.layers.0.self_attn.v_proj", "model.decoder.layers.0.encoder_attn.v_proj",
                    "model.decoder.layers.0.fc2", "model.decoder.layers.1.self_attn.v_proj",
                    "model.decoder.layers.1.encoder_attn.v_proj", "model.decoder.layers.1.fc2")) {
                expected.add(module + ".lora_A.weight");
                expected.add(module + ".lora_B.weight");
            }
            assertEquals(expected, names(lora.trainable()));
            assertEquals(new Shape(4, 16), lora.trainable().get("model.encoder.layers.0.self_attn.v_proj.lora_A.weight").getShape());
            assertEquals(new Shape(16, 4), lora.trainable().get("model.encoder.layers.0.fc2.lora_B.weight").getShape());
            assertEquals(new Shape(4, 32), lora.trainable().get("model.encoder.layers.0.fc2.lora_A.weight").getShape());
            assertFalse(m.tensors().keySet().stream().anyMatch(n -> n.contains("lora_")), "adapters are not base tensors");
            // 6 attention projections of 16x16 and 4 fc2 of 16x32: r·(in+out) each
            assertEquals(6 * 4 * 32 + 4 * 4 * 48, lora.trainableCount());
            assertEquals(8 * lora.trainableCount(), lora.optimizerStateBytes());
        }
    }

    @Test
    void t5MethodsTrainTheNamedParameters() throws IOException {
        try (Seq2SeqLm m = t5()) {
            TrainingMethod.Prepared frozen = TrainingMethod.apply(m, method(
                    "{\"kind\": \"freeze\", \"freeze_embeddings\": true, \"freeze_decoder_layers\": 2}"), 1, null, "s");
            // this checkpoint's head is its own table (lm_head.weight): an embedding too
            assertEquals(select(m, n -> !n.equals("shared.weight") && !n.equals("lm_head.weight") && !n.startsWith("decoder.block.0.")
                    && !n.startsWith("decoder.block.1.")), names(frozen.trainable()));
            assertTrue(frozen.trainable().containsKey("decoder.block.2.layer.2.DenseReluDense.wo.weight"));

            TrainingMethod.Prepared lora = TrainingMethod.apply(m, method(
                    "{\"kind\": \"lora\", \"lora\": {\"r\": 2, \"targets\": [\"q\", \"wi_1\"]}}"), 1, null, "s");
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < 2; i++) {
                expected.add("encoder.block." + i + ".layer.0.SelfAttention.q");
                expected.add("encoder.block." + i + ".layer.1.DenseReluDense.wi_1");
            }
            for (int i = 0; i < 3; i++) {
                expected.add("decoder.block." + i + ".layer.0.SelfAttention.q");
                expected.add("decoder.block." + i + ".layer.1.EncDecAttention.q");
                expected.add("decoder.block." + i + ".layer.2.DenseReluDense.wi_1");
            }
            assertEquals(expected.stream().flatMap(s -> java.util.stream.Stream.of(s + ".lora_A.weight", s + ".lora_B.weight"))
                    .collect(Collectors.toCollection(TreeSet::new)), names(lora.trainable()));
            assertEquals(new Shape(2, 32), lora.trainable().get("encoder.block.0.layer.0.SelfAttention.q.lora_A.weight").getShape());
            assertEquals(new Shape(24, 2), lora.trainable().get("encoder.block.0.layer.0.SelfAttention.q.lora_B.weight").getShape());
        }
    }

    @Test
    void wrongMethodsAreOneLineErrors() throws IOException {
        Path f = dir.resolve("stage.json");
        UserError unknown = assertThrows(UserError.class, () -> method("{\"kind\": \"lora\", \"lora\": {\"targets\": [\"qkv\"]}}"));
        assertEquals(f + ": field \"method.lora.targets\": unknown projection \"qkv\" (BART: q_proj, k_proj, v_proj, out_proj, "
                + "fc1, fc2; T5: q, k, v, o, wi, wi_0, wi_1, wo)", unknown.getMessage());
        UserError rank = assertThrows(UserError.class, () -> method("{\"kind\": \"lora\", \"lora\": {\"r\": 0}}"));
        assertEquals(f + ": field \"method.lora.r\": expected a whole number >= 1, got 0", rank.getMessage());
        UserError kind = assertThrows(UserError.class, () -> method("{\"kind\": \"prefix\"}"));
        assertEquals(f + ": field \"method.kind\": unknown method \"prefix\" (use full, freeze, bitfit, lora)", kind.getMessage());
        UserError misplaced = assertThrows(UserError.class, () -> method("{\"kind\": \"full\", \"freeze_encoder_layers\": 2}"));
        assertEquals(f + ": field \"method.freeze_encoder_layers\": applies to kind \"freeze\" only (kind is \"full\")",
                misplaced.getMessage());
        StageSpec.Method t5Target = method("{\"kind\": \"lora\", \"lora\": {\"targets\": [\"fc1\"]}}");
        StageSpec.Method tooDeep = method("{\"kind\": \"freeze\", \"freeze_encoder_layers\": 3}");
        try (Seq2SeqLm m = t5()) {
            UserError notT5 = assertThrows(UserError.class, () -> TrainingMethod.apply(m, t5Target, 1, null, "stage \"s\""));
            assertEquals("stage \"s\": field \"method.lora.targets\": \"fc1\" is not a projection of t5 models "
                    + "(use q, k, v, o, wi, wi_0, wi_1, wo)", notT5.getMessage());
            UserError deep = assertThrows(UserError.class, () -> TrainingMethod.apply(m, tooDeep, 1, null, "stage \"s\""));
            assertEquals("stage \"s\": field \"method.freeze_encoder_layers\": 3 is more than the model's 2 encoder blocks",
                    deep.getMessage());
            UserError bitfit = assertThrows(UserError.class, () -> TrainingMethod.apply(m, method("{\"kind\": \"bitfit\"}"),
                    1, null, "stage \"s\""));
            assertEquals("stage \"s\": field \"method\": method bitfit leaves nothing to train in this t5 model "
                    + "(it has no bias parameters)", bitfit.getMessage());
        }
    }

    /** One forward/backward/AdamW step on a fixed batch; the loss. */
    private static float step(Seq2SeqLm m, AdamW opt) {
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray ids = sm.create(new long[] {0, 5, 9, 13, 2, 0, 7, 8, 2, 1}, new Shape(2, 5));
            NDArray mask = ids.neq(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray labels = sm.create(new long[] {0, 11, 12, 2, 0, 14, 2, -100}, new Shape(2, 4));
            NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = new TokenCrossEntropy(0f).compute(m.forward(ids, mask, decIn, true), labels).loss();
                gc.backward(l);
                loss = l.getFloat();
            }
            opt.step(1e-2, sm);
            return loss;
        }
    }

    @Test
    void frozenParametersStayBitForBitAndGetNoOptimizerState() throws IOException {
        for (String json : List.of("{\"kind\": \"bitfit\"}", "{\"kind\": \"freeze\", \"freeze_encoder_layers\": 2}",
                "{\"kind\": \"lora\", \"lora\": {\"targets\": [\"q_proj\", \"fc1\"]}}")) {
            try (Seq2SeqLm m = bart()) {
                Map<String, float[]> before = new HashMap<>();
                m.tensors().forEach((n, a) -> before.put(n, a.toFloatArray()));
                TrainingMethod.Prepared p = TrainingMethod.apply(m, method(json), 1, null, "s");
                try (AdamW opt = new AdamW(p.trainable(), AdamW.Settings.defaults(n -> true))) {
                    step(m, opt);
                    step(m, opt);
                    assertEquals(p.trainable().keySet(), opt.state().keySet(), json + ": state for the trained ones only");
                }
                m.parameters().forEach((n, a) -> {
                    if (p.trainable().containsKey(n)) {
                        assertTrue(a.hasGradient(), n);
                        if (before.containsKey(n)) assertFalse(java.util.Arrays.equals(before.get(n), a.toFloatArray()), json + ": " + n + " moved");
                    } else {
                        assertFalse(a.hasGradient(), json + ": " + n + " gets no gradient");
                        assertArrayEquals(before.get(n), a.toFloatArray(), json + ": " + n + " is frozen");
                    }
                });
                if (p.lora() != null) {
                    assertTrue(p.trainable().values().stream().allMatch(a -> a.abs().sum().getFloat() > 0), "A and B moved");
                }
            }
        }
    }

    @Test
    void loraAtInitIsTheBaseModelAndLeavesTheCheckpointAlone() throws IOException {
        try (Seq2SeqLm m = bart(); NDManager sm = m.manager().newSubManager()) {
            NDArray ids = sm.create(new long[] {0, 5, 9, 13, 2, 0, 7, 8, 2, 1}, new Shape(2, 5));
            NDArray mask = ids.neq(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray dec = sm.create(new long[] {2, 0, 11, 12, 2, 0, 14, 2}, new Shape(2, 4));
            float[] base = m.forward(ids, mask, dec, false).toFloatArray();
            Checkpoint.save(m, dir.resolve("base"), null);
            TrainingMethod.apply(m, method("{\"kind\": \"lora\", \"lora\": {\"dropout\": 0.2, \"targets\": [\"q_proj\", "
                    + "\"k_proj\", \"v_proj\", \"out_proj\", \"fc1\", \"fc2\"]}}"), 5, null, "s");
            assertArrayEquals(base, m.forward(ids, mask, dec, false).toFloatArray());
            Checkpoint.save(m, dir.resolve("with-lora"), null);
            assertArrayEquals(Files.readAllBytes(dir.resolve("base/model.safetensors")),
                    Files.readAllBytes(dir.resolve("with-lora/model.safetensors")));
            // PEFT's init: A ~ U(±1/√in) (kaiming-uniform, a = √5), B zeros
            float[] a = m.parameters().get("model.encoder.layers.0.fc2.lora_A.weight").toFloatArray();
            double bound = 1 / Math.sqrt(32);
            for (float v : a) assertTrue(Math.abs(v) <= bound, "A within ±1/√in");
            assertTrue(m.parameters().get("model.encoder.layers.0.fc2.lora_A.weight").abs().max().getFloat() > 0.8 * bound);
            assertEquals(0f, m.parameters().get("model.encoder.layers.0.fc2.lora_B.weight").abs().sum().getFloat());
        }
    }

    @Test
    void adapterSavesAsPeftDoesLoadsBackAndMerges() throws IOException {
        LoraSettings s = new LoraSettings(2, 6, 0.0, List.of("v", "q", "wo"));
        try (Seq2SeqLm m = t5(); Seq2SeqLm back = t5(); NDManager sm = m.manager().newSubManager()) {
            Lora.attach(m, s, (name, shape) -> org.dialtune.model.InitValues.normal(9, name, (int) shape.size(), 0.3), "test");
            PeftAdapter.save(m, s, "base/t5", dir.resolve("adapter"));
            JsonObject cfg = org.dialtune.common.Json.parseFile(dir.resolve("adapter/adapter_config.json")).getAsJsonObject();
            assertEquals(List.of("q", "v", "wo"), cfg.getAsJsonArray("target_modules").asList().stream()
                    .map(e -> e.getAsString()).toList());
            assertEquals(2, cfg.get("r").getAsInt());
            assertEquals(6, cfg.get("lora_alpha").getAsInt());
            assertEquals("T5ForConditionalGeneration", cfg.getAsJsonObject("auto_mapping").get("base_model_class").getAsString());
            assertTrue(cfg.has("task_type") && cfg.get("task_type").isJsonNull());
            try (var f = org.dialtune.model.checkpoint.SafeTensorsFile.open(dir.resolve("adapter/adapter_model.safetensors"))) {
                assertTrue(f.tensors().containsKey("base_model.model.encoder.block.0.layer.0.SelfAttention.q.lora_A.weight"));
                assertEquals(2 * (2 * 3 + 3 * 5), f.tensors().size()); // A and B: q, v, wo per encoder block, + cross q, v per decoder block
            }
            assertEquals(s, PeftAdapter.load(back, dir.resolve("adapter")));
            NDArray ids = sm.create(new long[] {5, 9, 13, 1, 7, 8, 1, 0}, new Shape(2, 4));
            NDArray mask = ids.neq(0).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray dec = sm.create(new long[] {0, 11, 12, 0, 14, 1}, new Shape(2, 3));
            float[] adapted = m.forward(ids, mask, dec, false).toFloatArray();
            assertArrayEquals(adapted, back.forward(ids, mask, dec, false).toFloatArray());
            try (Seq2SeqLm base = t5()) {
                assertFalse(java.util.Arrays.equals(adapted, base.forward(ids, mask, dec, false).toFloatArray()));
            }
            Lora.merge(back);
            assertTrue(back.parameters().keySet().stream().noneMatch(n -> n.contains("lora_")));
            float[] merged = back.forward(ids, mask, dec, false).toFloatArray();
            // the same sums in another order (W·x + B·(A·x) vs (W + B·A)·x) with large random adapters: float32 noise
            for (int i = 0; i < merged.length; i++) assertEquals(adapted[i], merged[i], 1e-4, "merged logit " + i);
        }
    }
}
