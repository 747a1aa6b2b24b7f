package org.dialtune.model.lora;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.SafeTensorsFile;
import org.dialtune.model.checkpoint.SafeTensorsWriter;
import org.dialtune.model.checkpoint.TensorInfo;

/**
 * A LoRA adapter directory as PEFT 0.21's {@code save_pretrained} writes it and
 * {@code PeftModel.from_pretrained(base, dir)} reads it: {@code adapter_config.json} (every field PEFT
 * writes, keys sorted, as {@code LoraConfig.to_dict()}) and {@code adapter_model.safetensors} (float32,
 * {@code base_model.model.<module>.lora_A.weight} / {@code .lora_B.weight}, no adapter name).
 * Loading accepts what dialtune computes: plain LoRA (no DoRA, rsLoRA, bias training, per-module ranks,
 * extra saved modules); anything else is refused naming the field.
 */
public final class PeftAdapter {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** PEFT's key prefix: the PeftModel's {@code base_model} (LoraModel) wraps the transformers {@code model}. */
    public static final String PREFIX = "base_model.model.";
    static final String PEFT_VERSION = "0.21.0";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private PeftAdapter() {}

    /** Whether {@code dir} holds an adapter (its config file). */
    public static boolean isAdapter(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG));
    }

    /**
     * Writes the model's adapters to {@code dir} atomically (a temporary directory beside it, renamed
     * into place); {@code baseModel} becomes {@code base_model_name_or_path}.
     */
    public static void save(Seq2SeqLm model, LoraSettings settings, String baseModel, Path dir) {
        try {
            AtomicFiles.writeDirectory(dir, tmp -> writeInto(model, settings, baseModel, tmp));
        } catch (IOException e) {
            throw new UserError(dir + ": cannot write adapter: " + e.getMessage(), e);
        }
    }

    /** Writes the two files into {@code dir} (an existing directory, e.g. a checkpoint being written). */
    public static void writeInto(Seq2SeqLm model, LoraSettings settings, String baseModel, Path dir) {
        Map<String, NDArray> tensors = model.projections().adapterTensors();
        if (tensors.isEmpty()) throw new IllegalStateException("the model has no adapters to save");
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            entries.put(PREFIX + e.getKey(), new SafeTensorsWriter.Entry(a.getShape().getShape(), a::toByteBuffer));
        }
        SafeTensorsWriter.write(dir.resolve(WEIGHTS), entries);
        AtomicFiles.writeString(dir.resolve(CONFIG), GSON.toJson(config(ModelFamilies.of(model.config()), settings, baseModel)));
    }

    /** {@code adapter_config.json} as PEFT 0.21 writes it for a {@code LoraConfig} without {@code task_type}. */
    static JsonObject config(ModelFamily family, LoraSettings s, String baseModel) {
        TreeMap<String, JsonElement> f = new TreeMap<>();
        for (String nullField : List.of("alora_invocation_tokens", "arrow_config", "corda_config", "eva_config",
                "exclude_modules", "kasa_config", "layer_replication", "layers_pattern", "layers_to_transform", "lora_ga_config",
                "megatron_config", "modules_to_save", "monteclora_config", "revision", "target_parameters",
                "task_type", "trainable_token_indices", "use_bdlora", "velora_config")) {
            f.put(nullField, JsonNull.INSTANCE);
        }
        f.put("alpha_pattern", new JsonObject());
        f.put("rank_pattern", new JsonObject());
        f.put("loftq_config", new JsonObject());
        JsonObject mapping = new JsonObject();
        mapping.addProperty("base_model_class", family.hfClass());
        mapping.addProperty("parent_library", "transformers.models." + family.modelType() + ".modeling_" + family.modelType());
        f.put("auto_mapping", mapping);
        f.put("base_model_name_or_path", baseModel == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(baseModel));
        f.put("bias", new com.google.gson.JsonPrimitive("none"));
        for (String falseField : List.of("ensure_weight_tying", "fan_in_fan_out", "lora_bias", "use_dora", "use_qalora",
                "use_rslora")) {
            f.put(falseField, new com.google.gson.JsonPrimitive(false));
        }
        f.put("inference_mode", new com.google.gson.JsonPrimitive(true));
        f.put("init_lora_weights", new com.google.gson.JsonPrimitive(true));
        f.put("lora_alpha", number(s.alpha()));
        f.put("lora_dropout", new com.google.gson.JsonPrimitive(s.dropout()));
        f.put("megatron_core", new com.google.gson.JsonPrimitive("megatron.core"));
        f.put("peft_type", new com.google.gson.JsonPrimitive("LORA"));
        f.put("peft_version", new com.google.gson.JsonPrimitive(PEFT_VERSION));
        f.put("qalora_group_size", new com.google.gson.JsonPrimitive(16));
        f.put("r", new com.google.gson.JsonPrimitive(s.r()));
        JsonArray targets = new JsonArray();
        s.targets().stream().sorted().forEach(targets::add);
        f.put("target_modules", targets);
        JsonObject o = new JsonObject();
        f.forEach(o::add);
        return o;
    }

    /** An integral alpha as an int (as Python writes {@code lora_alpha=16}), else a float. */
    private static JsonElement number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? new com.google.gson.JsonPrimitive((long) v)
                : new com.google.gson.JsonPrimitive(v);
    }

    /** Reads and checks {@code adapter_config.json}: the settings dialtune computes, or a UserError naming the field. */
    public static LoraSettings readSettings(Path dir) {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new UserError(dir + ": not an adapter directory (no " + CONFIG + "; PEFT's save_pretrained writes one)");
        }
        JsonObject o;
        try {
            o = com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a JSON object: " + e.getMessage());
        }
        String type = stringOr(o, "peft_type", "");
        if (!type.equals("LORA")) throw field(file, "peft_type", "is \"" + type + "\"; only LORA adapters are supported");
        expect(o, file, "use_dora", false, "DoRA adapters are not supported");
        expect(o, file, "use_rslora", false, "rsLoRA scaling is not supported");
        expect(o, file, "fan_in_fan_out", false, "fan_in_fan_out is for GPT-2-style Conv1D weights, not BART/T5");
        expect(o, file, "lora_bias", false, "LoRA bias terms are not supported");
        String bias = stringOr(o, "bias", "none");
        if (!bias.equals("none")) throw field(file, "bias", "is \"" + bias + "\"; only \"none\" is supported");
        for (String empty : List.of("rank_pattern", "alpha_pattern")) {
            JsonElement e = o.get(empty);
            if (e != null && e.isJsonObject() && !e.getAsJsonObject().isEmpty()) {
                throw field(file, empty, "per-module ranks and alphas are not supported (one r and lora_alpha for all)");
            }
        }
        for (String absent : List.of("modules_to_save", "layers_to_transform", "trainable_token_indices",
                "target_parameters")) {
            JsonElement e = o.get(absent);
            if (e != null && !e.isJsonNull() && !(e.isJsonArray() && e.getAsJsonArray().isEmpty())) {
                throw field(file, absent, "is set; dialtune loads plain LoRA adapters only (set it to null)");
            }
        }
        JsonElement tm = o.get("target_modules");
        if (tm == null || !tm.isJsonArray()) {
            throw field(file, "target_modules", "must be a list of module names (a regular expression is not supported)");
        }
        List<String> targets = new ArrayList<>();
        for (JsonElement e : tm.getAsJsonArray()) targets.add(e.getAsString());
        int r = intOr(o, file, "r");
        if (r <= 0) throw field(file, "r", "must be at least 1, got " + r);
        double alpha = o.has("lora_alpha") ? o.get("lora_alpha").getAsDouble() : 8;
        double dropout = o.has("lora_dropout") ? o.get("lora_dropout").getAsDouble() : 0;
        if (dropout < 0 || dropout >= 1) throw field(file, "lora_dropout", "must be in [0, 1), got " + dropout);
        return new LoraSettings(r, alpha, dropout, targets);
    }

    /** The base model PEFT's config names ({@code base_model_name_or_path}), or null. */
    public static String baseModel(Path dir) {
        try {
            JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve(CONFIG))).getAsJsonObject();
            return stringOr(o, "base_model_name_or_path", null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Puts the adapter in {@code dir} on {@code model} (which must have none): every targeted projection's
     * A and B from the file, shapes checked, no tensor left over. Returns its settings.
     */
    public static LoraSettings load(Seq2SeqLm model, Path dir) {
        LoraSettings settings = readSettings(dir);
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) throw new UserError(dir + ": no " + WEIGHTS + " beside " + CONFIG);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            Set<String> used = new HashSet<>();
            Lora.attach(model, settings, (name, shape) -> {
                String key = PREFIX + name;
                TensorInfo info = f.tensors().get(key);
                if (info == null) {
                    throw new UserError(file + ": tensor \"" + key + "\" missing (target_modules in " + CONFIG
                            + " name this projection)");
                }
                if (!Arrays.equals(info.shape(), shape.getShape())) {
                    throw new UserError(file + ": tensor \"" + key + "\": shape " + info.shapeText() + " does not fit the"
                            + " model and r = " + settings.r() + " (expected " + Arrays.toString(shape.getShape()) + ")");
                }
                used.add(key);
                return f.readFloat32(key);
            }, dir.resolve(CONFIG) + ": field \"target_modules\"");
            for (String key : f.tensors().keySet()) {
                if (!used.contains(key)) {
                    model.projections().detachAll();
                    throw new UserError(file + ": tensor \"" + key + "\" belongs to no targeted projection of this "
                            + model.config().modelType() + " model (an adapter of another base model?)");
                }
            }
        }
        return settings;
    }

    private static void expect(JsonObject o, Path file, String key, boolean value, String why) {
        JsonElement e = o.get(key);
        if (e != null && !e.isJsonNull() && e.getAsBoolean() != value) throw field(file, key, "is " + e + ": " + why);
    }

    private static String stringOr(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static int intOr(JsonObject o, Path file, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) throw field(file, key, "missing");
        return e.getAsInt();
    }

    private static UserError field(Path file, String key, String problem) {
        return new UserError(file + ": field \"" + key + "\" " + problem);
    }
}
