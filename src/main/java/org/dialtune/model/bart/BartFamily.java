package org.dialtune.model.bart;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TensorSource;

/** BART ({@code BartForConditionalGeneration}, also BART0++ and other {@code model_type: bart} checkpoints). */
public final class BartFamily implements ModelFamily {
    /** The token table's names: tied, all one tensor ({@link BartLayout#SHARED}); untied, the first three may stand in for each other. */
    private static final List<String> TIED_TABLE = List.of(BartLayout.SHARED, BartLayout.ENCODER_EMBED,
            BartLayout.DECODER_EMBED, BartLayout.LM_HEAD);
    private static final List<String> UNTIED_TABLE = TIED_TABLE.subList(0, 3);

    @Override
    public String modelType() {
        return BartConfig.MODEL_TYPE;
    }

    @Override
    public BartConfig config(JsonObject json, Path source) {
        return new BartConfig(json.deepCopy(), source);
    }

    @Override
    public Map<String, Shape> layout(ModelConfig config) {
        return BartLayout.tensors(bart(config));
    }

    @Override
    public BartModel create(ModelConfig config, Device device, TensorSource tensors) {
        return BartModel.create(bart(config), device, tensors);
    }

    @Override
    public TensorSource initializer(ModelConfig config, long seed) {
        return BartInitializer.source(bart(config), seed);
    }

    /** No decay on biases and LayerNorm weights (the common convention). */
    @Override
    public boolean decays(String parameterName) {
        return !BartLayout.isBias(parameterName) && !BartLayout.isLayerNorm(parameterName);
    }

    /**
     * A token table saved under another of its names: tied, the four names are one table (HF ties
     * whichever it finds); untied, a checkpoint from transformers 4 keeps one table for the shared,
     * encoder and decoder embeddings (they were one module there) and its own LM head, which is never
     * filled from them.
     */
    @Override
    public List<String> storedAs(ModelConfig config, String name) {
        List<String> table = bart(config).tieWordEmbeddings ? TIED_TABLE : UNTIED_TABLE;
        if (!table.contains(name)) return List.of(name);
        List<String> names = new ArrayList<>(List.of(name));
        for (String n : table) if (!n.equals(name)) names.add(n);
        return names;
    }

    /**
     * Tied, the other names of the token table must hold copies of it: a different LM head or token
     * table would be silently replaced by it (transformers would run it untied instead).
     */
    @Override
    public List<String> tiedCopies(ModelConfig config, String name) {
        return bart(config).tieWordEmbeddings && name.equals(BartLayout.SHARED) ? TIED_TABLE : List.of();
    }

    @Override
    public String missingTensorHint(ModelConfig config, String name) {
        if (!name.equals(BartLayout.LM_HEAD)) return "";
        return ", whose \"tie_word_embeddings\" is false: an untied model needs its own LM head; set it to true if"
                + " the head is \"" + BartLayout.SHARED + "\"";
    }

    /** The token tables (input and, untied, output) and the learned position tables. */
    @Override
    public boolean isEmbedding(String parameterName) {
        return BartLayout.isTokenEmbedding(parameterName) || parameterName.equals(BartLayout.LM_HEAD)
                || parameterName.endsWith(".embed_positions.weight");
    }

    @Override
    public String blockPrefix(boolean decoder) {
        return decoder ? "model.decoder.layers." : "model.encoder.layers.";
    }

    @Override
    public List<String> loraTargets() {
        return List.of("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2");
    }

    /** PEFT's default for this model type (query and value projections). */
    @Override
    public List<String> loraDefaultTargets() {
        return List.of("q_proj", "v_proj");
    }

    @Override
    public String hfClass() {
        return "BartForConditionalGeneration";
    }

    private static BartConfig bart(ModelConfig config) {
        if (config instanceof BartConfig b) return b;
        throw new IllegalArgumentException("not a BART config: " + config.modelType());
    }
}
