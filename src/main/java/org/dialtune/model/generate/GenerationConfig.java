package org.dialtune.model.generate;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;

/**
 * How to decode, with Hugging Face {@code generate()} meanings. {@code maxLength} counts the decoder
 * start token (HF convention), so at most {@code maxLength - 1} tokens are generated, the forced BOS
 * and the EOS included. A token id of -1 switches the forced BOS / EOS off.
 *
 * <p>{@code maxLengthOrigin} says where the length cap came from, so a run that silently inherits
 * transformers' default of 20 new tokens can say so.
 */
public record GenerationConfig(
        int maxLength,
        int minLength,
        int numBeams,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int noRepeatNgramSize,
        int forcedBosTokenId,
        int forcedEosTokenId,
        int decoderStartTokenId,
        int eosTokenId,
        int padTokenId,
        String maxLengthOrigin) {

    /** HF {@code early_stopping}: true, false or "never" (beam search only). */
    public enum EarlyStopping {
        /** Stop an input as soon as it has {@code numBeams} finished hypotheses. */
        TRUE,
        /** Stop when no open beam can beat the worst finished one at the current length. */
        FALSE,
        /** Stop only when no open beam could beat it even at the maximum length (length penalty > 0). */
        NEVER
    }

    /** transformers' default number of new tokens when neither the checkpoint nor the user sets a length. */
    public static final int HF_DEFAULT_NEW_TOKENS = 20;

    public GenerationConfig {
        if (maxLength < 2) throw new UserError("max length " + maxLength + " leaves no room to generate: use at least 2");
        if (minLength < 0) throw new UserError("min length must be >= 0, got " + minLength);
        if (numBeams < 1) throw new UserError("number of beams must be >= 1, got " + numBeams);
        if (!Double.isFinite(lengthPenalty)) throw new UserError("length penalty must be a finite number");
        if (noRepeatNgramSize < 0) throw new UserError("no-repeat n-gram size must be >= 0, got " + noRepeatNgramSize);
    }

    /**
     * The checkpoint's defaults, as transformers 5 reads them: {@code generation_config.json} when the
     * directory has one, else the generation keys of {@code config.json} (never a mix of the two), and
     * transformers' global defaults for keys neither gives. Token ids missing from
     * {@code generation_config.json} fall back to {@code config.json}'s.
     *
     * <p>Without a {@code max_length}, transformers 5 generates {@value #HF_DEFAULT_NEW_TOKENS} new tokens
     * after the decoder start token (max_length 21, at most the model's positions), not a total
     * length of 20.
     */
    public static GenerationConfig forModel(ModelConfig config, Path modelDir) {
        Path genFile = modelDir.resolve(FILE);
        if (!Files.isRegularFile(genFile)) {
            Keys keys = new Keys(config.toJson(), modelDir.resolve("config.json"));
            return keys.build(() -> new GenerationConfig(
                    keys.integer("max_length", defaultMaxLength(config)),
                    keys.integer("min_length", 0),
                    config.numBeams(),
                    keys.number("length_penalty", 1.0),
                    keys.earlyStopping(config.earlyStopping() ? EarlyStopping.TRUE : EarlyStopping.FALSE),
                    config.noRepeatNgramSize(),
                    keys.optionalId("forced_bos_token_id", -1),
                    keys.optionalId("forced_eos_token_id", -1), // transformers 5 reads the file: not the config class default (BART: 2)
                    config.decoderStartTokenId(),
                    config.eosTokenId(),
                    config.padTokenId(),
                    keys.has("max_length") ? "max_length in config.json" : DEFAULT_ORIGIN));
        }
        JsonElement e = Json.parseFile(genFile);
        if (!e.isJsonObject()) throw new UserError(genFile + ": expected a JSON object of generation settings");
        Keys gen = new Keys(e.getAsJsonObject(), genFile);
        return gen.build(() -> new GenerationConfig(
                gen.integer("max_length", defaultMaxLength(config)),
                gen.integer("min_length", 0),
                gen.integer("num_beams", 1),
                gen.number("length_penalty", 1.0),
                gen.earlyStopping(EarlyStopping.FALSE),
                gen.integer("no_repeat_ngram_size", 0),
                gen.optionalId("forced_bos_token_id", -1),
                gen.optionalId("forced_eos_token_id", -1),
                gen.integer("decoder_start_token_id", config.decoderStartTokenId()),
                gen.integer("eos_token_id", config.eosTokenId()),
                gen.integer("pad_token_id", config.padTokenId()),
                gen.has("max_length") ? "max_length in generation_config.json" : DEFAULT_ORIGIN));
    }

    /** The checkpoint file transformers keeps generation settings in. */
    public static final String FILE = "generation_config.json";

    /**
     * The keys of transformers' {@code GenerationConfig} a {@code config.json} may carry (older
     * checkpoints keep their generation defaults there; transformers 5 moves them into
     * {@value #FILE} when it saves).
     */
    private static final List<String> CONFIG_GENERATION_KEYS = List.of("max_length", "min_length", "do_sample",
            "early_stopping", "num_beams", "num_beam_groups", "diversity_penalty", "temperature", "top_k", "top_p",
            "typical_p", "repetition_penalty", "length_penalty", "no_repeat_ngram_size",
            "encoder_no_repeat_ngram_size", "bad_words_ids", "num_return_sequences", "forced_bos_token_id",
            "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty", "suppress_tokens",
            "begin_suppress_tokens");

    /**
     * The {@value #FILE} to save beside a model with this config, as transformers 5's
     * {@code save_pretrained} writes it: the checkpoint's own file when the config was read from a
     * directory that has one (kept verbatim), else, when {@code config.json} carries generation keys,
     * those keys with the special token ids ({@code GenerationConfig.from_model_config}); null when
     * there is neither. {@link #forModel} reads the saved checkpoint as it read the original.
     */
    public static JsonObject toSave(ModelConfig config) {
        Path own = config.source().getParent() == null ? null : config.source().resolveSibling(FILE);
        if (own != null && Files.isRegularFile(own)) {
            JsonElement e = Json.parseFile(own);
            if (!e.isJsonObject()) throw new UserError(own + ": expected a JSON object of generation settings");
            return e.getAsJsonObject();
        }
        JsonObject raw = config.toJson();
        JsonObject out = new JsonObject();
        for (String key : CONFIG_GENERATION_KEYS) if (raw.has(key)) out.add(key, raw.get(key));
        if (out.size() == 0) return null;
        JsonObject file = new JsonObject();
        file.addProperty("_from_model_config", true);
        if (config.bosTokenId() >= 0) file.addProperty("bos_token_id", config.bosTokenId());
        file.addProperty("decoder_start_token_id", config.decoderStartTokenId());
        file.addProperty("eos_token_id", config.eosTokenId());
        file.addProperty("pad_token_id", config.padTokenId());
        out.entrySet().forEach(e -> file.add(e.getKey(), e.getValue()));
        return file;
    }

    private static final String DEFAULT_ORIGIN = "transformers' default of " + HF_DEFAULT_NEW_TOKENS + " new tokens, max_length";

    /** transformers' {@code _prepare_generated_length}: 20 new tokens after the start token, within the positions. */
    private static int defaultMaxLength(ModelConfig config) {
        return Math.min(HF_DEFAULT_NEW_TOKENS + 1, config.maxPositions());
    }

    public GenerationConfig withNumBeams(int n) {
        return new GenerationConfig(maxLength, minLength, n, lengthPenalty, earlyStopping, noRepeatNgramSize,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    /** HF {@code max_length}: the cap on the whole decoder sequence, start token included. */
    public GenerationConfig withMaxLength(int n, String origin) {
        return new GenerationConfig(n, minLength, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, origin);
    }

    /** HF {@code max_new_tokens}: tokens after the decoder start token, so max_length = n + 1. */
    public GenerationConfig withMaxNewTokens(int n, String origin) {
        if (n < 1) throw new UserError("max new tokens must be >= 1, got " + n);
        return withMaxLength(n + 1, origin);
    }

    public GenerationConfig withMinLength(int n) {
        return new GenerationConfig(maxLength, n, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    public GenerationConfig withLengthPenalty(double p) {
        return new GenerationConfig(maxLength, minLength, numBeams, p, earlyStopping, noRepeatNgramSize,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    public GenerationConfig withEarlyStopping(EarlyStopping e) {
        return new GenerationConfig(maxLength, minLength, numBeams, lengthPenalty, e, noRepeatNgramSize,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    public GenerationConfig withNoRepeatNgramSize(int n) {
        return new GenerationConfig(maxLength, minLength, numBeams, lengthPenalty, earlyStopping, n,
                forcedBosTokenId, forcedEosTokenId, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    public GenerationConfig withForcedTokens(int bos, int eos) {
        return new GenerationConfig(maxLength, minLength, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                bos, eos, decoderStartTokenId, eosTokenId, padTokenId, maxLengthOrigin);
    }

    /** Every token id this config can put into a sequence must exist in the model's vocabulary. */
    void checkVocabulary(int vocabSize) {
        checkId("decoder_start_token_id", decoderStartTokenId, vocabSize);
        checkId("eos_token_id", eosTokenId, vocabSize);
        checkId("pad_token_id", padTokenId, vocabSize);
        if (forcedBosTokenId >= 0) checkId("forced_bos_token_id", forcedBosTokenId, vocabSize);
        if (forcedEosTokenId >= 0) checkId("forced_eos_token_id", forcedEosTokenId, vocabSize);
    }

    private static void checkId(String name, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new UserError("generation setting " + name + " = " + id + " is outside the model's vocabulary (0.."
                    + (vocabSize - 1) + "); fix config.json / generation_config.json");
        }
    }

    /** Typed reads of optional keys with errors that name the file and the key. */
    private record Keys(JsonObject json, Path file) {
        /** Builds a config from this file's values; a value the constructor refuses is blamed on the file. */
        GenerationConfig build(java.util.function.Supplier<GenerationConfig> make) {
            try {
                return make.get();
            } catch (UserError e) {
                if (e.getMessage().startsWith(file.toString())) throw e;
                throw new UserError(file + ": " + e.getMessage(), e);
            }
        }

        boolean has(String key) {
            return get(key) != null;
        }

        JsonElement get(String key) {
            JsonElement e = json.get(key);
            return e == null || e.isJsonNull() ? null : e;
        }

        double number(String key, double def) {
            JsonElement e = get(key);
            if (e == null) return def;
            if (!(e instanceof JsonPrimitive p) || !p.isNumber()) throw error(key, "must be a number, got " + e);
            return p.getAsDouble();
        }

        int integer(String key, int def) {
            double v = number(key, def);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw error(key, "must be an integer, got " + v);
            return (int) v;
        }

        /** Null or absent keeps the default only when absent; an explicit null switches the token off. */
        int optionalId(String key, int def) {
            if (json.has(key) && json.get(key).isJsonNull()) return -1;
            return integer(key, def);
        }

        EarlyStopping earlyStopping(EarlyStopping def) {
            JsonElement e = get("early_stopping");
            if (e == null) return def;
            if (e instanceof JsonPrimitive p && p.isBoolean()) {
                return p.getAsBoolean() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
            }
            if (e instanceof JsonPrimitive p && p.isString() && p.getAsString().toLowerCase(Locale.ROOT).equals("never")) {
                return EarlyStopping.NEVER;
            }
            throw error("early_stopping", "must be true, false or \"never\", got " + e);
        }

        private UserError error(String key, String what) {
            return new UserError(file + ": field \"" + key + "\" " + what);
        }
    }
}
