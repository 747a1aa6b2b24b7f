package org.dialtune.model.t5;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.TensorSource;

/** T5 ({@code T5ForConditionalGeneration}: T5 v1.0, T5 v1.1, Flan-T5 and other {@code model_type: t5} checkpoints). */
public final class T5Family implements ModelFamily {
    @Override
    public String modelType() {
        return T5Config.MODEL_TYPE;
    }

    @Override
    public T5Config config(JsonObject json, Path source) {
        return new T5Config(json.deepCopy(), source);
    }

    @Override
    public Map<String, Shape> layout(ModelConfig config) {
        return T5Layout.tensors(t5(config));
    }

    @Override
    public T5Model create(ModelConfig config, Device device, TensorSource tensors) {
        return T5Model.create(t5(config), device, tensors);
    }

    @Override
    public TensorSource initializer(ModelConfig config, long seed) {
        return T5Initializer.source(t5(config), seed);
    }

    /** T5 has no biases; its RMS-norm weights are not decayed. */
    @Override
    public boolean decays(String parameterName) {
        return !T5Layout.isNorm(parameterName);
    }

    /**
     * The token table may be stored under the stacks' names (transformers keeps them as aliases), and
     * a tied head's; an untied head missing from the files is the token table, as transformers then
     * ties it.
     */
    @Override
    public List<String> storedAs(ModelConfig config, String name) {
        if (name.equals(T5Layout.SHARED)) {
            List<String> names = new ArrayList<>(List.of(T5Layout.SHARED));
            names.addAll(T5Layout.EMBEDDING_ALIASES);
            if (!t5(config).untiedHead()) names.add(T5Layout.LM_HEAD);
            return names;
        }
        if (name.equals(T5Layout.LM_HEAD)) return List.of(T5Layout.LM_HEAD, T5Layout.SHARED);
        return List.of(name);
    }

    /**
     * The stacks' token tables (and a tied head) in the files must be copies of the token table: a
     * different one would be silently replaced by it.
     */
    @Override
    public List<String> tiedCopies(ModelConfig config, String name) {
        if (!name.equals(T5Layout.SHARED)) return List.of();
        List<String> copies = new ArrayList<>(T5Layout.EMBEDDING_ALIASES);
        if (!t5(config).untiedHead()) copies.add(T5Layout.LM_HEAD);
        return copies;
    }

    /** The token table and, untied, the LM head (T5's relative position bias belongs to block 0's attention). */
    @Override
    public boolean isEmbedding(String parameterName) {
        return parameterName.equals(T5Layout.SHARED) || parameterName.equals(T5Layout.LM_HEAD);
    }

    @Override
    public String blockPrefix(boolean decoder) {
        return decoder ? "decoder.block." : "encoder.block.";
    }

    @Override
    public List<String> loraTargets() {
        return List.of("q", "k", "v", "o", "wi", "wi_0", "wi_1", "wo");
    }

    /** PEFT's default for this model type (query and value projections). */
    @Override
    public List<String> loraDefaultTargets() {
        return List.of("q", "v");
    }

    @Override
    public String hfClass() {
        return "T5ForConditionalGeneration";
    }

    private static T5Config t5(ModelConfig config) {
        if (config instanceof T5Config c) return c;
        throw new IllegalArgumentException("not a T5 config: " + config.modelType());
    }
}
