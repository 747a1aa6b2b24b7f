package org.dialtune.model;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.dialtune.model.nn.NormPlacement;

/**
 * What every family's {@code config.json} says that code outside the family reads: special token ids,
 * vocabulary, width, the position limit (or none), and the generation defaults transformers takes
 * from {@code config.json} when a checkpoint has no {@code generation_config.json}. A family's own
 * config class implements it and keeps its architecture fields to itself.
 */
public interface ModelConfig {
    /** {@link #maxPositions()} of a model without learned positions (T5's relative positions). */
    int NO_POSITION_LIMIT = Integer.MAX_VALUE;

    /** The Hugging Face {@code model_type}, the key of its {@link ModelFamily} in {@link ModelFamilies}. */
    String modelType();

    int vocabSize();

    int dModel();

    int padTokenId();

    int eosTokenId();

    /** The id the tokenizer puts before a text, or -1 when the family has none (T5). */
    int bosTokenId();

    int decoderStartTokenId();

    /**
     * The longest encoder or decoder sequence the model can take, or {@link #NO_POSITION_LIMIT}.
     * Callers cap lengths with {@code Math.min(wanted, maxPositions())}.
     */
    int maxPositions();

    default boolean hasPositionLimit() {
        return maxPositions() != NO_POSITION_LIMIT;
    }

    /** The config field that sets {@link #maxPositions()}, for messages (e.g. {@code max_position_embeddings}). */
    String maxPositionsField();

    /**
     * Whether each block's norms sit before their sublayer (T5's pre-LN) or after it (BART's post-LN):
     * the one architecture fact FLOP accounting needs beyond tensor names and shapes (which sublayer
     * inputs a trainable norm lies below).
     */
    NormPlacement normPlacement();

    /** {@code num_beams} of config.json (transformers' default 1). */
    int numBeams();

    /** {@code early_stopping} of config.json (default false). */
    boolean earlyStopping();

    /** {@code no_repeat_ngram_size} of config.json (default 0). */
    int noRepeatNgramSize();

    /** {@code forced_bos_token_id}, -1 when none. */
    int forcedBosTokenId();

    /** {@code forced_eos_token_id} as the family's config class defaults it, -1 when none. */
    int forcedEosTokenId();

    /** The JSON to write back: every key as loaded (transformers reads its own extra keys). */
    JsonObject toJson();

    /** Where the config was read from (a file, or {@code <config>} for JSON built in memory), for messages. */
    Path source();
}
