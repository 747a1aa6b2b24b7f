package org.dialtune.model;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The part of a family's {@code config.json} class that every family reads alike: the JSON as loaded
 * (written back whole), its source, the {@code model_type} check, and the {@link ModelConfig} fields —
 * vocabulary, width, special ids and generation defaults — under the family's own defaults. A family
 * extends it and reads only its architecture fields.
 */
public abstract class FamilyConfig implements ModelConfig {
    /**
     * transformers' defaults for the shared fields of one family's config class.
     *
     * @param decoderStartTokenId the default {@code decoder_start_token_id}, or {@link #PAD} for "the pad id" (T5)
     */
    public record Defaults(String modelType, int vocabSize, int dModel, int padTokenId, int eosTokenId,
                           int decoderStartTokenId, int forcedEosTokenId) {
        public static final int PAD = Integer.MIN_VALUE;
    }

    private final JsonObject raw;
    private final Path source;
    private final String modelType;
    /** Typed reads with errors naming {@link #source()}, for the family's own fields. */
    protected final ConfigFields f;

    public final int vocabSize;
    public final int dModel;
    public final int padTokenId;
    public final int eosTokenId;
    public final int decoderStartTokenId;
    public final int numBeams;
    public final boolean earlyStopping;
    public final int noRepeatNgramSize;
    /** -1 when the config has none (null or absent). */
    public final int forcedBosTokenId;
    /** -1 when the config has none (null, or absent where the family's default is none). */
    public final int forcedEosTokenId;

    protected FamilyConfig(JsonObject raw, Path source, Defaults d) {
        this.raw = raw;
        this.source = source;
        this.modelType = d.modelType();
        this.f = new ConfigFields(raw, source);
        String type = f.str("model_type", modelType);
        if (!type.equals(modelType)) throw f.error("model_type", "is \"" + type + "\", not \"" + modelType + "\"");
        vocabSize = f.positive("vocab_size", d.vocabSize());
        dModel = f.positive("d_model", d.dModel());
        padTokenId = (int) f.num("pad_token_id", d.padTokenId());
        eosTokenId = (int) f.num("eos_token_id", d.eosTokenId());
        int startDefault = d.decoderStartTokenId() == Defaults.PAD ? padTokenId : d.decoderStartTokenId();
        decoderStartTokenId = (int) f.num("decoder_start_token_id", startDefault);
        numBeams = f.positive("num_beams", 1);
        earlyStopping = f.bool("early_stopping", false);
        noRepeatNgramSize = (int) f.num("no_repeat_ngram_size", 0);
        forcedBosTokenId = f.optionalId("forced_bos_token_id", -1);
        forcedEosTokenId = f.optionalId("forced_eos_token_id", d.forcedEosTokenId());
    }

    @Override
    public JsonObject toJson() {
        return raw.deepCopy();
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int dModel() {
        return dModel;
    }

    @Override
    public int padTokenId() {
        return padTokenId;
    }

    @Override
    public int eosTokenId() {
        return eosTokenId;
    }

    @Override
    public int decoderStartTokenId() {
        return decoderStartTokenId;
    }

    @Override
    public int numBeams() {
        return numBeams;
    }

    @Override
    public boolean earlyStopping() {
        return earlyStopping;
    }

    @Override
    public int noRepeatNgramSize() {
        return noRepeatNgramSize;
    }

    @Override
    public int forcedBosTokenId() {
        return forcedBosTokenId;
    }

    @Override
    public int forcedEosTokenId() {
        return forcedEosTokenId;
    }
}
