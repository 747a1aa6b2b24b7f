package org.dialtune.model.t5;

import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face state-dict names and shapes of {@code T5ForConditionalGeneration} for a config, in
 * HF module order: the one place that spells them. T5 has no biases; every tensor is a parameter.
 */
public final class T5Layout {
    public static final String SHARED = "shared.weight";
    public static final String ENCODER_EMBED = "encoder.embed_tokens.weight";
    public static final String DECODER_EMBED = "decoder.embed_tokens.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** The relative position bias lives in the first block's self-attention of each stack. */
    public static final String ENCODER_POSITION_BIAS = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
    public static final String DECODER_POSITION_BIAS = "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
    /** Names transformers keeps in the files as aliases of {@link #SHARED}: the stacks' token tables. */
    public static final List<String> EMBEDDING_ALIASES = List.of(ENCODER_EMBED, DECODER_EMBED);

    private T5Layout() {}

    /**
     * Every tensor, in HF order: the token table, {@code num_layers} encoder blocks (self-attention,
     * feed-forward), the encoder's final norm, {@code num_decoder_layers} decoder blocks (self-attention,
     * cross-attention, feed-forward), the decoder's final norm and, untied, the LM head.
     */
    public static Map<String, Shape> tensors(T5Config c) {
        Map<String, Shape> m = new LinkedHashMap<>();
        long d = c.dModel;
        m.put(SHARED, new Shape(c.vocabSize, d));
        for (int i = 0; i < c.numLayers; i++) {
            String p = "encoder.block." + i + ".layer.";
            attention(m, p + "0.SelfAttention.", c, i == 0);
            m.put(p + "0.layer_norm.weight", new Shape(d));
            feedForward(m, p + "1.DenseReluDense.", c);
            m.put(p + "1.layer_norm.weight", new Shape(d));
        }
        m.put("encoder.final_layer_norm.weight", new Shape(d));
        for (int i = 0; i < c.numDecoderLayers; i++) {
            String p = "decoder.block." + i + ".layer.";
            attention(m, p + "0.SelfAttention.", c, i == 0);
            m.put(p + "0.layer_norm.weight", new Shape(d));
            attention(m, p + "1.EncDecAttention.", c, false);
            m.put(p + "1.layer_norm.weight", new Shape(d));
            feedForward(m, p + "2.DenseReluDense.", c);
            m.put(p + "2.layer_norm.weight", new Shape(d));
        }
        m.put("decoder.final_layer_norm.weight", new Shape(d));
        if (c.untiedHead()) m.put(LM_HEAD, new Shape(c.vocabSize, d));
        return Collections.unmodifiableMap(m);
    }

    /** The RMS-norm weights ({@code layer_norm}, {@code final_layer_norm}): not decayed by AdamW. */
    public static boolean isNorm(String name) {
        return name.contains("layer_norm.");
    }

    public static boolean isRelativePositionBias(String name) {
        return name.endsWith("relative_attention_bias.weight");
    }

    /** The feed-forward block's output projection, kept in float32 under fp16 as transformers does. */
    public static boolean isFeedForwardOutput(String name) {
        return name.endsWith(".DenseReluDense.wo.weight");
    }

    private static void attention(Map<String, Shape> m, String p, T5Config c, boolean positionBias) {
        long d = c.dModel;
        long inner = c.innerDim();
        m.put(p + "q.weight", new Shape(inner, d));
        m.put(p + "k.weight", new Shape(inner, d));
        m.put(p + "v.weight", new Shape(inner, d));
        m.put(p + "o.weight", new Shape(d, inner));
        if (positionBias) m.put(p + "relative_attention_bias.weight", new Shape(c.relativeAttentionNumBuckets, c.numHeads));
    }

    private static void feedForward(Map<String, Shape> m, String p, T5Config c) {
        if (c.gatedActivation) {
            m.put(p + "wi_0.weight", new Shape(c.dFf, c.dModel));
            m.put(p + "wi_1.weight", new Shape(c.dFf, c.dModel));
        } else {
            m.put(p + "wi.weight", new Shape(c.dFf, c.dModel));
        }
        m.put(p + "wo.weight", new Shape(c.dModel, c.dFf));
    }
}
