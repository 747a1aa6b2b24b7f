package org.dialtune.model.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Map;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The T5 family as the registry sees it: configs, layouts, initialisation, weight decay. */
class T5FamilyTest {
    /** The published parameter counts of the shared configs (../shared/models/t5-small-config/README.md). */
    @ParameterizedTest
    @CsvSource({"t5-small-config, 60506624, false", "flan-t5-small-config, 76961152, true",
        "flan-t5-base-config, 247577856, true"})
    void layoutsHaveThePublishedParameterCounts(String dir, long parameters, boolean v11) {
        ModelConfig config = ModelFamilies.readConfig(SharedData.require("models/" + dir));
        ModelFamily family = ModelFamilies.of(config);
        assertTrue(family instanceof T5Family, config.modelType());
        T5Config t5 = (T5Config) config;
        assertEquals(v11, t5.untiedHead(), "v1.1 has its own lm_head");
        assertEquals(v11, t5.gatedActivation);
        assertEquals(v11 ? "gelu_new" : "relu", t5.activation);
        assertEquals(-1, config.bosTokenId(), "no BOS");
        assertEquals(0, config.decoderStartTokenId(), "pad starts the decoder");
        assertFalse(config.hasPositionLimit(), "relative positions have no limit");
        long total = family.layout(config).values().stream().mapToLong(Shape::size).sum();
        assertEquals(parameters, total, dir);
    }

    @Test
    void transformers5ConfigOfAnUntiedModelIsReadAsUntied() {
        JsonObject json = config("gated-gelu");
        json.addProperty("tie_word_embeddings", true);
        json.addProperty("scale_decoder_outputs", false); // what save_pretrained of transformers 5 writes for v1.1
        T5Config c = (T5Config) ModelFamilies.config(json, Path.of("config.json"));
        assertTrue(c.untiedHead());
        assertTrue(T5Layout.tensors(c).containsKey(T5Layout.LM_HEAD));
    }

    @Test
    void normsAreNotDecayedEverythingElseIs() {
        ModelFamily t5 = ModelFamilies.forType("t5", Path.of("config.json"));
        assertFalse(t5.decays("encoder.block.0.layer.0.layer_norm.weight"));
        assertFalse(t5.decays("decoder.block.2.layer.2.layer_norm.weight"));
        assertFalse(t5.decays("encoder.final_layer_norm.weight"));
        assertTrue(t5.decays("decoder.block.1.layer.1.EncDecAttention.q.weight"));
        assertTrue(t5.decays("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"));
        assertTrue(t5.decays("shared.weight"));
        assertTrue(t5.decays("lm_head.weight"));
    }

    @Test
    void badFeedForwardProjectionIsNamed() {
        UserError e = assertThrows(UserError.class,
                () -> ModelFamilies.config(config("gelu-gated"), Path.of("cfg/config.json")));
        assertTrue(e.getMessage().startsWith("cfg/config.json: field \"feed_forward_proj\""), e.getMessage());
        UserError unknown = assertThrows(UserError.class,
                () -> ModelFamilies.config(config("gated-swoosh"), Path.of("c.json")));
        assertTrue(unknown.getMessage().startsWith("c.json: field \"feed_forward_proj\": unknown activation \"swoosh\""),
                unknown.getMessage());
    }

    /** HF _init_weights: each tensor's spread follows its role, scaled by initializer_factor. */
    @Test
    void initialisationFollowsTransformers() {
        JsonObject json = config("gated-gelu");
        json.addProperty("initializer_factor", 2.0);
        json.addProperty("d_model", 64);
        json.addProperty("d_ff", 128);
        ModelConfig config = ModelFamilies.config(json, Path.of("config.json"));
        try (Seq2SeqLm model = ModelFamilies.of(config).random(config, Device.cpu(), 7)) {
            Map<String, NDArray> t = model.tensors();
            double f = 2.0;
            assertStd(t.get("shared.weight"), f);
            assertStd(t.get("lm_head.weight"), f);
            assertStd(t.get("encoder.block.0.layer.0.SelfAttention.q.weight"), f * Math.pow(64 * 8, -0.5));
            assertStd(t.get("encoder.block.0.layer.0.SelfAttention.k.weight"), f * Math.pow(64, -0.5));
            assertStd(t.get("decoder.block.1.layer.1.EncDecAttention.o.weight"), f * Math.pow(4 * 8, -0.5));
            assertStd(t.get("decoder.block.0.layer.2.DenseReluDense.wi_1.weight"), f * Math.pow(64, -0.5));
            assertStd(t.get("decoder.block.0.layer.2.DenseReluDense.wo.weight"), f * Math.pow(128, -0.5));
            assertEquals(2f, t.get("encoder.final_layer_norm.weight").getFloat(3));
            assertEquals(2f * 64, t.get("decoder.block.0.layer.0.layer_norm.weight").sum().getFloat(), 1e-4);
        }
    }

    private static void assertStd(NDArray a, double want) {
        float[] v = a.toFloatArray();
        double sq = 0;
        for (float x : v) sq += (double) x * x;
        double std = Math.sqrt(sq / v.length);
        assertEquals(want, std, 0.05 * want, a.getName());
    }

    /** A small T5 config with {@code feed_forward_proj}: 4 heads of d_kv 8, 2 + 3 layers. */
    static JsonObject config(String feedForwardProj) {
        return JsonParser.parseString("{\"model_type\": \"t5\", \"vocab_size\": 96, \"d_model\": 32, \"d_kv\": 8, \"d_ff\": 48,"
                + " \"num_layers\": 2, \"num_decoder_layers\": 3, \"num_heads\": 4,"
                + " \"relative_attention_num_buckets\": 8, \"relative_attention_max_distance\": 20,"
                + " \"feed_forward_proj\": \"" + feedForwardProj + "\", \"tie_word_embeddings\": false,"
                + " \"pad_token_id\": 0, \"eos_token_id\": 1, \"decoder_start_token_id\": 0}").getAsJsonObject();
    }
}
