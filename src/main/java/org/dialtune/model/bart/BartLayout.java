package org.dialtune.model.bart;

import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Hugging Face state-dict names and shapes of {@code BartForConditionalGeneration} for a config,
 * in HF module order. This is the one place that spells the names; loading, saving, initialisation,
 * optimisers and parameter selection (freezing, bias-only, LoRA targets) all go through it.
 */
public final class BartLayout {
    public static final String SHARED = "model.shared.weight";
    /** A buffer, not a parameter: saved and loaded, never trained. */
    public static final String FINAL_LOGITS_BIAS = "final_logits_bias";
    public static final String ENCODER_EMBED = "model.encoder.embed_tokens.weight";
    public static final String DECODER_EMBED = "model.decoder.embed_tokens.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /**
     * With {@code tie_word_embeddings} (the default) these are {@link #SHARED} itself: HF's save_pretrained
     * leaves them out and the loader accepts them only as equal copies. Untied, each is its own tensor.
     */
    public static final Set<String> TIED_ALIASES = Set.of(LM_HEAD, ENCODER_EMBED, DECODER_EMBED);

    private BartLayout() {}

    /**
     * Every tensor, in HF order: 91 parameters and the final_logits_bias buffer for a tied BART of two
     * layers each; untied (transformers 5: {@code tie_word_embeddings: false}) the encoder's and the
     * decoder's token embeddings and the LM head are three more tensors of the shared table's shape.
     */
    public static Map<String, Shape> tensors(BartConfig c) {
        Map<String, Shape> m = new LinkedHashMap<>();
        long d = c.dModel;
        Shape vocab = new Shape(c.vocabSize, d);
        m.put(SHARED, vocab);
        if (!c.tieWordEmbeddings) m.put(ENCODER_EMBED, vocab);
        m.put("model.encoder.embed_positions.weight", new Shape(c.positionRows(), d));
        for (int i = 0; i < c.encoderLayers; i++) {
            String p = "model.encoder.layers." + i + ".";
            attention(m, p + "self_attn.", d);
            norm(m, p + "self_attn_layer_norm.", d);
            linear(m, p + "fc1.", c.encoderFfnDim, d);
            linear(m, p + "fc2.", d, c.encoderFfnDim);
            norm(m, p + "final_layer_norm.", d);
        }
        norm(m, "model.encoder.layernorm_embedding.", d);
        if (!c.tieWordEmbeddings) m.put(DECODER_EMBED, vocab);
        m.put("model.decoder.embed_positions.weight", new Shape(c.positionRows(), d));
        for (int i = 0; i < c.decoderLayers; i++) {
            String p = "model.decoder.layers." + i + ".";
            attention(m, p + "self_attn.", d);
            norm(m, p + "self_attn_layer_norm.", d);
            attention(m, p + "encoder_attn.", d);
            norm(m, p + "encoder_attn_layer_norm.", d);
            linear(m, p + "fc1.", c.decoderFfnDim, d);
            linear(m, p + "fc2.", d, c.decoderFfnDim);
            norm(m, p + "final_layer_norm.", d);
        }
        norm(m, "model.decoder.layernorm_embedding.", d);
        if (!c.tieWordEmbeddings) m.put(LM_HEAD, vocab);
        m.put(FINAL_LOGITS_BIAS, new Shape(1, c.vocabSize));
        return Collections.unmodifiableMap(m);
    }

    public static boolean isParameter(String name) {
        return !name.equals(FINAL_LOGITS_BIAS);
    }

    /** Token-embedding tables (their pad row starts at zero, as in HF's nn.Embedding(padding_idx)). */
    public static boolean isTokenEmbedding(String name) {
        return name.equals(SHARED) || name.equals(ENCODER_EMBED) || name.equals(DECODER_EMBED);
    }

    public static boolean isLayerNorm(String name) {
        return name.contains("layer_norm.") || name.contains("layernorm_embedding.");
    }

    public static boolean isBias(String name) {
        return name.endsWith(".bias");
    }

    private static void attention(Map<String, Shape> m, String p, long d) {
        for (String proj : new String[] {"k_proj.", "v_proj.", "q_proj.", "out_proj."}) linear(m, p + proj, d, d);
    }

    private static void linear(Map<String, Shape> m, String p, long out, long in) {
        m.put(p + "weight", new Shape(out, in));
        m.put(p + "bias", new Shape(out));
    }

    private static void norm(Map<String, Shape> m, String p, long d) {
        m.put(p + "weight", new Shape(d));
        m.put(p + "bias", new Shape(d));
    }
}
