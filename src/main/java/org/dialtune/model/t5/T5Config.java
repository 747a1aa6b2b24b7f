package org.dialtune.model.t5;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dialtune.model.FamilyConfig;
import org.dialtune.model.ModelFootprint;
import org.dialtune.model.nn.NormPlacement;
import org.dialtune.model.nn.Activation;

/**
 * The Hugging Face {@code config.json} fields of a T5 model (T5 v1.0, T5 v1.1, Flan-T5: {@code model_type:
 * t5}) that change the computation or the generation defaults, with transformers 5.18's
 * {@code T5Config} defaults. The original JSON is kept so a checkpoint written back carries every key.
 *
 * <p>The head, as transformers 5 reads it: {@code scale_decoder_outputs} (what transformers 5 writes)
 * or else {@code tie_word_embeddings != false} (the Hub's files: false marks v1.1) says whether the
 * decoder output is scaled by {@code d_model^-0.5} before the head. A scaled head is the token table
 * itself (T5 v1.0); an unscaled one is its own {@code lm_head.weight} (v1.1, Flan-T5), which is what
 * every such checkpoint holds. T5 has no learned positions, hence no position limit.
 */
public final class T5Config extends FamilyConfig {
    public static final String MODEL_TYPE = "t5";

    public final int dKv;
    public final int dFf;
    public final int numLayers;
    public final int numDecoderLayers;
    public final int numHeads;
    public final int relativeAttentionNumBuckets;
    public final int relativeAttentionMaxDistance;
    public final float dropoutRate;
    public final float layerNormEpsilon;
    public final float initializerFactor;
    /** {@code gated-gelu} and the like: act(wi_0·x) ⊙ (wi_1·x); else act(wi·x). */
    public final boolean gatedActivation;
    /** The activation's HF name ({@code relu}, {@code gelu_new}, ...). */
    public final String activation;
    /** Whether the decoder output is multiplied by d_model^-0.5 before the head (T5 v1.0), which is then the token table. */
    public final boolean scaleDecoderOutputs;

    T5Config(JsonObject raw, Path source) {
        super(raw, source, new Defaults(MODEL_TYPE, 32128, 512, 0, 1, Defaults.PAD, -1));
        dKv = f.positive("d_kv", 64);
        dFf = f.positive("d_ff", 2048);
        numLayers = f.positive("num_layers", 6);
        numDecoderLayers = f.positive("num_decoder_layers", numLayers);
        numHeads = f.positive("num_heads", 8);
        relativeAttentionNumBuckets = f.positive("relative_attention_num_buckets", 32);
        relativeAttentionMaxDistance = f.positive("relative_attention_max_distance", 128);
        if (relativeAttentionNumBuckets < 4) {
            throw f.error("relative_attention_num_buckets", "must be at least 4 (half exact, half logarithmic per"
                    + " direction), got " + relativeAttentionNumBuckets);
        }
        dropoutRate = f.prob("dropout_rate", 0.1f);
        layerNormEpsilon = (float) f.num("layer_norm_epsilon", 1e-6);
        if (!(layerNormEpsilon > 0)) throw f.error("layer_norm_epsilon", "must be positive, got " + layerNormEpsilon);
        initializerFactor = (float) f.num("initializer_factor", 1.0);
        String proj = f.str("feed_forward_proj", "relu").toLowerCase(Locale.ROOT);
        String[] parts = proj.split("-");
        if (parts.length > 2 || parts.length == 2 && !parts[0].equals("gated") || parts[parts.length - 1].isEmpty()) {
            throw f.error("feed_forward_proj", "is \"" + proj + "\": use \"ACT\" or \"gated-ACT\", e.g. \"relu\" (T5 v1.0)"
                    + " or \"gated-gelu\" (T5 v1.1, Flan-T5)");
        }
        gatedActivation = parts.length == 2;
        // transformers: "gated-gelu" means the tanh approximation (backwards compatibility)
        activation = proj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
        Activation.of(activation, source.toString(), "feed_forward_proj"); // an unknown one is named now
        JsonElement scale = f.get("scale_decoder_outputs");
        scaleDecoderOutputs = scale != null ? f.bool("scale_decoder_outputs", true) : f.bool("tie_word_embeddings", true);
        // before any tensor is listed or allocated: a huge field must fail here, not after minutes
        ModelFootprint.Refusal tooLarge = ModelFootprint.refusal(footprint(), ModelFootprint.Budget.current());
        if (tooLarge != null) throw f.error(tooLarge.field(), tooLarge.message());
    }

    /** Whether {@code lm_head.weight} is its own tensor (v1.1, Flan-T5) rather than the token table (v1.0). */
    public boolean untiedHead() {
        return !scaleDecoderOutputs;
    }

    /** Width of the attention's projections: {@code num_heads · d_kv}, which need not be d_model. */
    public int innerDim() {
        return numHeads * dKv;
    }

    /** Where the float32 weights go, by the field that sizes them. */
    public List<ModelFootprint.Part> footprint() {
        double d = dModel;
        double attention = 4 * d * innerDim();
        double ffn = (gatedActivation ? 3 : 2) * d * dFf;
        return List.of(
                new ModelFootprint.Part("vocab_size", vocabSize + " token embeddings of d_model " + dModel
                        + (untiedHead() ? ", twice (the head is untied)" : ""), (untiedHead() ? 2.0 : 1.0) * vocabSize * d),
                new ModelFootprint.Part("num_layers", numLayers + " encoder layers (d_model " + dModel + ", d_ff " + dFf
                        + ")", numLayers * (attention + ffn + 2 * d) + d),
                new ModelFootprint.Part("num_decoder_layers", numDecoderLayers + " decoder layers (d_model " + dModel
                        + ", d_ff " + dFf + ")", numDecoderLayers * (2 * attention + ffn + 3 * d) + d));
    }

    /** T5 puts no token before a text. */
    @Override
    public int bosTokenId() {
        return -1;
    }

    /** Relative positions: no learned table bounds the length. */
    @Override
    public int maxPositions() {
        return NO_POSITION_LIMIT;
    }

    @Override
    public NormPlacement normPlacement() {
        return NormPlacement.PRE;
    }

    @Override
    public String maxPositionsField() {
        return "relative_attention_max_distance";
    }

}
