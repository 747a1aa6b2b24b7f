package org.dialtune.model;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One architecture family (a Hugging Face {@code model_type}): everything family-neutral code needs to
 * read its configs, list, load, initialise and save its tensors, build its model and train it. A
 * family lives in its own package ({@code model.bart}, ...) and is registered by one line in
 * {@link ModelFamilies}; nothing else names it.
 */
public interface ModelFamily {
    /** The {@code model_type} of its configs, e.g. {@code bart}. */
    String modelType();

    /**
     * Parses and checks a {@code config.json} object; errors name {@code source} and the field.
     * The JSON is the caller's: the config keeps its own copy.
     */
    ModelConfig config(JsonObject json, Path source);

    /** Every tensor the model has, by Hugging Face state-dict name, in HF module order, with its shape. */
    Map<String, Shape> layout(ModelConfig config);

    /** Builds a model on {@code device} with every tensor of {@link #layout} taken from {@code tensors}. */
    Seq2SeqLm create(ModelConfig config, Device device, TensorSource tensors);

    /** Hugging Face's {@code _init_weights} for this family, seeded per tensor (same values on every machine). */
    TensorSource initializer(ModelConfig config, long seed);

    /** Whether AdamW decays this parameter by default (the common rule: not biases, not norm weights). */
    boolean decays(String parameterName);

    /**
     * The names in a checkpoint's files that may fill layout tensor {@code name}, in order of
     * preference, itself first: a tied table saved under one of its aliases, or an older layout.
     */
    default List<String> storedAs(ModelConfig config, String name) {
        return List.of(name);
    }

    /**
     * Names that, when present in the files, must be equal copies of layout tensor {@code name}
     * (tied weights transformers may or may not write); a different copy is refused.
     */
    default List<String> tiedCopies(ModelConfig config, String name) {
        return List.of();
    }

    /** Extra words for the error when layout tensor {@code name} is missing from the files ("" for none). */
    default String missingTensorHint(ModelConfig config, String name) {
        return "";
    }

    /**
     * The training methods' view of the names (freezing, bias-only, LoRA): whether a parameter is an
     * embedding table (input or output token table, learned positions).
     */
    boolean isEmbedding(String parameterName);

    /** The name prefix of block i of the encoder or decoder stack, without i, e.g. {@code model.encoder.layers.}. */
    String blockPrefix(boolean decoder);

    /** The block of the encoder (or decoder) stack a parameter belongs to, or -1 when none. */
    default int blockIndex(String parameterName, boolean decoder) {
        String prefix = blockPrefix(decoder);
        if (!parameterName.startsWith(prefix)) return -1;
        int end = parameterName.indexOf('.', prefix.length());
        return end < 0 ? -1 : Integer.parseInt(parameterName.substring(prefix.length(), end));
    }

    /** Whether a parameter is a bias (BitFit trains these alone). */
    default boolean isBias(String parameterName) {
        return parameterName.endsWith(".bias");
    }

    /** The projections LoRA may target, by the last part of their module name, as PEFT's {@code target_modules}. */
    List<String> loraTargets();

    /** The targets when a LoRA method names none: PEFT's default for the model type. */
    List<String> loraDefaultTargets();

    /** The transformers class of the model, as PEFT's {@code adapter_config.json} names it ({@code auto_mapping}). */
    String hfClass();

    /** A model with {@link #initializer} weights. */
    default Seq2SeqLm random(ModelConfig config, Device device, long seed) {
        return create(config, device, initializer(config, seed));
    }
}
