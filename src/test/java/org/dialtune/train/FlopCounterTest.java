package org.dialtune.train;

import static org.dialtune.train.FlopCounter.Term.CROSS_PAIRS;
import static org.dialtune.train.FlopCounter.Term.SOURCE;
import static org.dialtune.train.FlopCounter.Term.SOURCE_PAIRS;
import static org.dialtune.train.FlopCounter.Term.TARGET;
import static org.dialtune.train.FlopCounter.Term.TARGET_PAIRS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.nn.NormPlacement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FLOP counts checked against a hand calculation for a tiny BART: d_model 4, feed-forward 8, vocabulary
 * 10, tied head, two encoder and two decoder layers. Per token or pair, forward:
 * <pre>
 *   a projection 4×4: 2·4·4 = 32;  fc1 (8×4) or fc2 (4×8): 2·4·8 = 64;  head (10×4): 2·4·10 = 80
 *   encoder layer, per source token: q,k,v,o 4·32 = 128 + fc1,fc2 128 = 256
 *   decoder layer, per target token: self q,k,v,o 128 + cross q,o 64 + fc1,fc2 128 = 320
 *                  per source token: cross k,v 2·32 = 64 (computed once per example, on the encoder's output)
 *   attention, per pair: scores 2·inner + weighted sum 2·inner = 4·4 = 16 (inner = heads·d_head = 4)
 *   SOURCE = 2·256 + 2·64 = 640;  TARGET = 2·320 + 80 = 720;  each kind of pairs: 2·16 = 32
 * </pre>
 */
class FlopCounterTest {
    static Seq2SeqLm bart;
    static Map<String, Shape> shapes;

    @BeforeAll
    static void tinyBart() {
        JsonObject c = JsonParser.parseString("{\"model_type\": \"bart\", \"vocab_size\": 10, \"d_model\": 4,"
                + " \"encoder_layers\": 2, \"decoder_layers\": 2, \"encoder_attention_heads\": 2,"
                + " \"decoder_attention_heads\": 2, \"encoder_ffn_dim\": 8, \"decoder_ffn_dim\": 8,"
                + " \"max_position_embeddings\": 16}").getAsJsonObject();
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        bart = ModelFamilies.of(config).random(config, Device.cpu(), 1);
        shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : bart.parameters().entrySet()) shapes.put(e.getKey(), e.getValue().getShape());
    }

    @AfterAll
    static void close() {
        bart.close();
    }

    private static FlopCounter counter(Predicate<String> trains) {
        return FlopCounter.of(bart, bart.setTrainable(trains).keySet());
    }

    private static void assertPer(FlopCounter c, long[] forward, long[] backward) {
        FlopCounter.Term[] terms = FlopCounter.Term.values();
        for (int i = 0; i < terms.length; i++) {
            assertEquals(forward[i], c.forwardPer(terms[i]), "forward per " + terms[i]);
            assertEquals(backward[i], c.backwardPer(terms[i]), "backward per " + terms[i]);
        }
    }

    @Test
    void fullFineTuningCostsThreeForwards() {
        FlopCounter c = counter(n -> true);
        // every matrix has a trainable parameter below it (the token table): input gradient + weight gradient,
        // 2× its forward; attention needs dQ, dK, dP and dV: 4·2·inner = 32 = 2× its forward
        assertPer(c, new long[] {640, 720, 32, 32, 32}, new long[] {1280, 1440, 64, 64, 64});
        // one micro-batch of 3 examples padded to 5 source and 2 target tokens:
        // forward 640·15 + 720·6 + 32·(75 + 12 + 30) = 9600 + 4320 + 3744 = 17664
        assertEquals(new FlopCounter.Flops(17664, 2 * 17664), c.batch(3, 5, 2));
        long params = shapes.values().stream().mapToLong(Shape::size).sum();
        assertEquals(params, c.trainableParameters());
    }

    @Test
    void frozenLowerBlocksAndEmbeddings() {
        FlopCounter c = counter(n -> !n.contains("embed") && !n.contains("shared") && !n.contains(".layers.0."));
        // encoder layer 0 and the embeddings are frozen: nothing below encoder layer 1's input trains.
        //   enc layer 1: q,k,v weight grads only 3·32 = 96; o input+weight 64; fc1, fc2 2·128 = 256 → 416
        //   pairs: q,k,v train → dQ, dK, dP, dV = 32 (layer 0: nothing)
        // decoder layer 0 (frozen) is reached by gradients from the trainable encoder through its cross k,v:
        //   self-attention: nothing (its input has nothing trainable below it)
        //   cross k,v input gradients 2·32 = 64 per source token; dK, dP, dV = 24 per cross pair;
        //   cross o input gradient 32, fc1/fc2 input gradients 2·64 = 128 → 160 per target token
        // decoder layer 1: everything 2×: self 256 + cross q,o 128 + ff 256 = 640 per target token,
        //   cross k,v 2·64 = 128 per source token, 32 per self pair, 32 per cross pair
        // head: the tied table is frozen, its input needs a gradient: 80
        // SOURCE 416 + 64 + 128 = 608; TARGET 160 + 640 + 80 = 880; pairs 32, 32, 24 + 32 = 56
        assertPer(c, new long[] {640, 720, 32, 32, 32}, new long[] {608, 880, 32, 32, 56});
    }

    @Test
    void biasOnlyTrainingNeedsNoWeightGradients() {
        FlopCounter c = counter(n -> n.endsWith(".bias"));
        // layernorm_embedding.bias trains below every layer of both stacks: every matrix needs its input
        // gradient (1× forward) and none a weight gradient (the head's table is frozen): 640, 720; attention has
        // no weights, it needs dQ, dK, dP and dV as in full training: 2× forward, 64 per pair
        assertPer(c, new long[] {640, 720, 32, 32, 32}, new long[] {640, 720, 64, 64, 64});
        long biases = shapes.entrySet().stream().filter(e -> e.getKey().endsWith(".bias")).mapToLong(e -> e.getValue().size()).sum();
        assertEquals(biases, c.trainableParameters());
    }

    @Test
    void loraOnQueryAndValue() {
        // LoRA r = 2 on every q and v projection (self and cross attention): A [2, 4], B [4, 2]; base frozen
        Map<String, Shape> withLora = new LinkedHashMap<>(shapes);
        for (String n : shapes.keySet()) {
            if (n.endsWith("q_proj.weight") || n.endsWith("v_proj.weight")) {
                String base = n.substring(0, n.length() - ".weight".length());
                withLora.put(base + ".lora_A.weight", new Shape(2, 4));
                withLora.put(base + ".lora_B.weight", new Shape(4, 2));
            }
        }
        Set<String> lora = withLora.keySet().stream().filter(n -> n.contains(".lora_")).collect(Collectors.toSet());
        assertEquals(24, lora.size());
        FlopCounter c = FlopCounter.of(withLora, lora, NormPlacement.POST);
        // forward: each LoRA site adds 2·r·(in+out) = 2·2·8 = 32 per token; 6 sites read source tokens
        // (4 encoder q/v, 2 cross v), 6 target tokens (4 decoder self q/v, 2 cross q): 640 + 192, 720 + 192
        // backward per LoRA site: dh = dy·B 16, dB 16, dA 16, plus where its input needs a gradient dx via A 16
        // and via the frozen base 32 (so 48 without, 96 with an input gradient); frozen k: 32 or nothing
        //   enc layer 0 (input frozen): q 48, v 48, k 0; pairs dQ, dP, dV 24; o 32; fc1, fc2 128 → 256
        //   enc layer 1: q 96, k 32, v 96, o 32, ff 128 → 384, pairs 32                     SOURCE 640
        //   dec layer 0: self q 48, v 48, o 32 (pairs 24), cross q 96, o 32, ff 128 → 384 TARGET;
        //                cross k 32 + v 96 = 128 SOURCE (the encoder's output needs a gradient); cross pairs 32
        //   dec layer 1: self 96 + 32 + 96 + 32 = 256, cross q 96 + o 32, ff 128 → 512 TARGET; cross k,v 128 SOURCE
        //   head: input gradient 80
        // SOURCE 640 + 128 + 128 = 896; TARGET 384 + 512 + 80 = 976; pairs 24 + 32 each, cross 32 + 32
        assertPer(c, new long[] {832, 912, 32, 32, 32}, new long[] {896, 976, 56, 56, 64});
        assertEquals(24 * 8, c.trainableParameters());
    }

    /**
     * The stage methods give the trainable sets counted by hand above: LoRA through the model's own adapters
     * (their names in {@code parameters()}), freezing and bias-only through {@code setTrainable}.
     */
    @Test
    void stageMethodsCountAsTheHandCalculations() {
        JsonObject c = JsonParser.parseString("{\"model_type\": \"bart\", \"vocab_size\": 10, \"d_model\": 4,"
                + " \"encoder_layers\": 2, \"decoder_layers\": 2, \"encoder_attention_heads\": 2,"
                + " \"decoder_attention_heads\": 2, \"encoder_ffn_dim\": 8, \"decoder_ffn_dim\": 8,"
                + " \"max_position_embeddings\": 16}").getAsJsonObject();
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        StageSpec.Method lora = new StageSpec.Method("lora", false, 0, 0,
                new org.dialtune.model.lora.LoraSettings(2, 4, 0, java.util.List.of("q_proj", "v_proj")), null);
        StageSpec.Method freeze = new StageSpec.Method("freeze", true, 1, 1, null, null);
        StageSpec.Method bitfit = new StageSpec.Method("bitfit", false, 0, 0, null, null);
        Map<StageSpec.Method, long[]> backward = new LinkedHashMap<>();
        backward.put(lora, new long[] {896, 976, 56, 56, 64});
        // the freeze method keeps layernorm_embedding trainable (it is not a table), below every block: the
        // frozen blocks still need their input gradients and save only their weight gradients, the tied
        // head its own: SOURCE 1280 − 256 (enc 0) − 64 (dec 0 cross k,v) = 960; TARGET 1440 − 320 − 80 = 1040
        backward.put(freeze, new long[] {960, 1040, 64, 64, 64});
        backward.put(bitfit, new long[] {640, 720, 64, 64, 64});
        for (Map.Entry<StageSpec.Method, long[]> e : backward.entrySet()) {
            try (Seq2SeqLm m = ModelFamilies.of(config).random(config, Device.cpu(), 1)) {
                TrainingMethod.Prepared p = TrainingMethod.apply(m, e.getKey(), 1, null, "test");
                FlopCounter counter = FlopCounter.of(m, p.trainable().keySet());
                long[] forward = e.getKey().isLora() ? new long[] {832, 912, 32, 32, 32} : new long[] {640, 720, 32, 32, 32};
                assertPer(counter, forward, e.getValue());
                assertEquals(p.trainableCount(), counter.trainableParameters(), e.getKey().kind());
            }
        }
    }

    @Test
    void t5PreNormGatedFeedForwardAndRelativeBias() {
        JsonObject json = JsonParser.parseString("{\"model_type\": \"t5\", \"vocab_size\": 10, \"d_model\": 4, \"d_kv\": 3,"
                + " \"d_ff\": 8, \"num_layers\": 1, \"num_decoder_layers\": 2, \"num_heads\": 2,"
                + " \"relative_attention_num_buckets\": 4, \"relative_attention_max_distance\": 8,"
                + " \"feed_forward_proj\": \"gated-gelu\", \"tie_word_embeddings\": false,"
                + " \"pad_token_id\": 0, \"eos_token_id\": 1, \"decoder_start_token_id\": 0}").getAsJsonObject();
        ModelConfig config = ModelFamilies.config(json, Path.of("<config>"));
        try (Seq2SeqLm t5 = ModelFamilies.of(config).random(config, Device.cpu(), 1)) {
            // inner = 2 heads · d_kv 3 = 6: q,k,v (6×4) and o (4×6) 2·24 = 48 each; wi_0, wi_1, wo 2·32 = 64 each
            //   encoder layer per source token: 4·48 + 3·64 = 384; decoder layer per target token: self 192 +
            //   cross q,o 96 + ff 192 = 480, per source token cross k,v 96; untied head 2·4·10 = 80
            //   SOURCE 384 + 2·96 = 576, TARGET 2·480 + 80 = 1040, pairs 4·6 = 24 per attention
            FlopCounter full = FlopCounter.of(t5, t5.setTrainable(n -> true).keySet());
            assertPer(full, new long[] {576, 1040, 24, 48, 48}, new long[] {1152, 2080, 48, 96, 96});
            // only the first decoder block's pre-norm before self-attention and the encoder's position bias train:
            //   encoder: the bias lies below the attention probabilities only: dP 2·6 = 12 per pair, o's input
            //     gradient 48 and wi_0, wi_1, wo's 192 per source token (q, k, v have nothing trainable below)
            //   decoder block 0: the pre-norm lies below q, k, v: input gradients 3·48 = 144, dQ dK dP dV 48 per
            //     pair, o 48, cross q and o 96, ff 192 per target token; cross k, v read the encoder's output,
            //     which needs a gradient: 96 per source token, 48 per cross pair; block 1: all input gradients,
            //     480 per target token, 96 per source token, 48 per pair of each kind; head input gradient 80
            //   SOURCE 48 + 192 + 96 + 96 = 432; TARGET 144 + 48 + 96 + 192 + 480 + 80 = 1040
            FlopCounter c = FlopCounter.of(t5, t5.setTrainable(n -> n.equals("decoder.block.0.layer.0.layer_norm.weight")
                    || n.equals("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight")).keySet());
            assertPer(c, new long[] {576, 1040, 24, 48, 48},
                    new long[] {48 + 192 + 192, 144 + 48 + 96 + 192 + 480 + 80, 12, 96, 96});
            assertEquals(4 + 4 * 2, c.trainableParameters());
        }
    }

    @Test
    void aTensorWithoutAPlaceIsNamed() {
        Map<String, Shape> odd = new LinkedHashMap<>(shapes);
        odd.put("model.encoder.layers.0.mystery_gate", new Shape(4));
        odd.put("pooler.weight", new Shape(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlopCounter.of(odd, Set.of(), NormPlacement.POST));
        assertTrue(e.getMessage().startsWith("pooler.weight: no place"), e.getMessage());
    }
}
