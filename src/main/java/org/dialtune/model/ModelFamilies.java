package org.dialtune.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.bart.BartFamily;
import org.dialtune.model.t5.T5Family;

/**
 * The model families dialtune runs, by Hugging Face {@code model_type}. Adding a family is its own
 * package plus one line in {@link #FAMILIES}; this is the only class outside a family's package that
 * names it.
 */
public final class ModelFamilies {
    private static final Map<String, ModelFamily> FAMILIES = register(
            new BartFamily(),
            new T5Family());

    private ModelFamilies() {}

    private static Map<String, ModelFamily> register(ModelFamily... families) {
        Map<String, ModelFamily> m = new LinkedHashMap<>();
        for (ModelFamily f : families) {
            if (m.put(f.modelType(), f) != null) throw new IllegalStateException("two families for " + f.modelType());
        }
        return m;
    }

    /** The registered {@code model_type}s, in registration order. */
    public static Set<String> known() {
        return FAMILIES.keySet();
    }

    /** The family of {@code modelType}; an unknown type is an error naming {@code source}'s field and the known types. */
    public static ModelFamily forType(String modelType, Path source) {
        ModelFamily f = FAMILIES.get(modelType);
        if (f == null) {
            throw new UserError(source + ": field \"model_type\" is \"" + modelType + "\", which dialtune does not run"
                    + " (known: " + String.join(", ", known()) + ")");
        }
        return f;
    }

    /** The family of a config this registry made. */
    public static ModelFamily of(ModelConfig config) {
        return forType(config.modelType(), config.source());
    }

    /** Reads {@code config.json} from a checkpoint directory, or a config file, with its family's parser. */
    public static ModelConfig readConfig(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
        JsonElement e = Json.parseFile(file);
        if (!e.isJsonObject()) throw new UserError(file + ": expected a JSON object with the model's settings");
        return config(e.getAsJsonObject(), file);
    }

    /** Parses a config object (already in memory) by its {@code model_type}. */
    public static ModelConfig config(JsonObject json, Path source) {
        JsonElement type = json.get("model_type");
        if (type == null || type.isJsonNull()) {
            throw new UserError(source + ": field \"model_type\" missing (Hugging Face configs name their family;"
                    + " known: " + String.join(", ", known()) + ")");
        }
        if (!(type instanceof JsonPrimitive p) || !p.isString()) {
            throw new UserError(source + ": field \"model_type\" must be a string, got " + type);
        }
        return forType(p.getAsString(), source).config(json, source);
    }
}
