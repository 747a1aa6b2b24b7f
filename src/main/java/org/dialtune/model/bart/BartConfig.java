package org.dialtune.model.bart;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.FamilyConfig;
import org.dialtune.model.ModelFootprint;
import org.dialtune.model.nn.NormPlacement;

/**
 * The Hugging Face {@code config.json} fields of a BART model that change the computation or the
 * generation defaults. Defaults are HF's {@code BartConfig} defaults. The original JSON is kept so a
 * checkpoint written back carries every key it was loaded with (HF reads its own extra keys).
 */
public final class BartConfig extends FamilyConfig {
    public static final String MODEL_TYPE = "bart";

    public final int encoderLayers;
    public final int decoderLayers;
    public final int encoderAttentionHeads;
    public final int decoderAttentionHeads;
    public final int encoderFfnDim;
    public final int decoderFfnDim;
    public final String activationFunction;
    public final boolean scaleEmbedding;
    public final int maxPositionEmbeddings;
    public final float dropout;
    public final float attentionDropout;
    public final float activationDropout;
    public final float initStd;
    public final int bosTokenId;
    public final boolean tieWordEmbeddings;

    BartConfig(JsonObject raw, Path source) {
        super(raw, source, new Defaults(MODEL_TYPE, 50265, 1024, 1, 2, 2, 2));
        encoderLayers = f.positive("encoder_layers", 12);
        decoderLayers = f.positive("decoder_layers", 12);
        encoderAttentionHeads = f.positive("encoder_attention_heads", 16);
        decoderAttentionHeads = f.positive("decoder_attention_heads", 16);
        encoderFfnDim = f.positive("encoder_ffn_dim", 4096);
        decoderFfnDim = f.positive("decoder_ffn_dim", 4096);
        activationFunction = f.str("activation_function", "gelu").toLowerCase(Locale.ROOT);
        scaleEmbedding = f.bool("scale_embedding", false);
        maxPositionEmbeddings = f.positive("max_position_embeddings", 1024);
        dropout = f.prob("dropout", 0.1f);
        attentionDropout = f.prob("attention_dropout", 0.0f);
        activationDropout = f.prob("activation_dropout", 0.0f);
        initStd = (float) f.num("init_std", 0.02);
        bosTokenId = (int) f.num("bos_token_id", 0);
        tieWordEmbeddings = f.bool("tie_word_embeddings", true);
        if (dModel % encoderAttentionHeads != 0) {
            throw f.error("encoder_attention_heads", "must divide d_model (" + dModel + ")");
        }
        if (dModel % decoderAttentionHeads != 0) {
            throw f.error("decoder_attention_heads", "must divide d_model (" + dModel + ")");
        }
        // before any tensor is listed or allocated: a huge field must fail here, not after minutes
        ModelFootprint.Refusal tooLarge = ModelFootprint.refusal(footprint(), ModelFootprint.Budget.current());
        if (tooLarge != null) throw f.error(tooLarge.field(), tooLarge.message());
    }

    /** Reads {@code config.json} from a checkpoint directory or a config file path (absent model_type: BART). */
    public static BartConfig load(Path dirOrFile) {
        Path file = dirOrFile.toFile().isDirectory() ? dirOrFile.resolve("config.json") : dirOrFile;
        JsonElement e = Json.parseFile(file);
        if (!e.isJsonObject()) throw new UserError(file + ": expected a JSON object with BART settings");
        return new BartConfig(e.getAsJsonObject().deepCopy(), file);
    }

    /** Builds a config from JSON already in memory (tests, {@code model init}). */
    public static BartConfig fromJson(JsonObject json) {
        return new BartConfig(json.deepCopy(), Path.of("<config>"));
    }

    @Override
    public int bosTokenId() {
        return bosTokenId;
    }

    @Override
    public int maxPositions() {
        return maxPositionEmbeddings;
    }

    @Override
    public NormPlacement normPlacement() {
        return NormPlacement.POST;
    }

    @Override
    public String maxPositionsField() {
        return "max_position_embeddings";
    }

    /** Where the float32 weights go, by the field that sizes them (checked against memory before anything is allocated). */
    public List<ModelFootprint.Part> footprint() {
        double d = dModel;
        double encoderLayer = 4 * (d * d + d) + 2 * d * encoderFfnDim + encoderFfnDim + d + 4 * d;
        double decoderLayer = 8 * (d * d + d) + 2 * d * decoderFfnDim + decoderFfnDim + d + 6 * d;
        return List.of(
                new ModelFootprint.Part("vocab_size", vocabSize + " token embeddings of d_model " + dModel,
                        (double) vocabSize * d + vocabSize + 4 * d),
                new ModelFootprint.Part("max_position_embeddings", "two tables of " + positionRows()
                        + " positions of d_model " + dModel, 2.0 * positionRows() * d),
                new ModelFootprint.Part("encoder_layers", encoderLayers + " encoder layers (d_model " + dModel
                        + ", encoder_ffn_dim " + encoderFfnDim + ")", encoderLayers * encoderLayer),
                new ModelFootprint.Part("decoder_layers", decoderLayers + " decoder layers (d_model " + dModel
                        + ", decoder_ffn_dim " + decoderFfnDim + ")", decoderLayers * decoderLayer));
    }

    public int encoderHeadDim() {
        return dModel / encoderAttentionHeads;
    }

    public int decoderHeadDim() {
        return dModel / decoderAttentionHeads;
    }

    /** Learned position tables have two extra rows: HF's BartLearnedPositionalEmbedding offset. */
    public int positionRows() {
        return maxPositionEmbeddings + 2;
    }
}
