package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.lora.Lora;
import org.dialtune.model.lora.LoraSettings;
import org.dialtune.model.lora.PeftAdapter;

/**
 * Applies a stage's {@link StageSpec.Method} to a model: chooses the parameters that train (the rest get
 * no gradient, and AdamW, given only the chosen ones, keeps no state for them) and, for LoRA, puts the
 * adapters on first. Selection is by the family's names: embeddings, block index, bias, projection.
 */
public final class TrainingMethod {
    /**
     * The chosen parameters and what they cost: counts over {@link Seq2SeqLm#parameters()} (adapters
     * included), AdamW's two float32 moments per trained value.
     */
    public record Prepared(StageSpec.Method method, LoraSettings lora, Map<String, NDArray> trainable,
                           long trainableCount, long totalCount) {
        public long optimizerStateBytes() {
            return 8 * trainableCount;
        }

        public double trainableShare() {
            return totalCount == 0 ? 0 : (double) trainableCount / totalCount;
        }

        /** One line for the console. */
        public String describe() {
            return String.format(Locale.ROOT, "method %s: %,d of %,d parameters train (%.2f%%), optimizer state %.1f MB",
                    method.kind(), trainableCount, totalCount, 100 * trainableShare(), optimizerStateBytes() / 1e6);
        }

        /** The train-log record written at the start of a stage (global step 0). */
        public JsonObject logRecord(String stage) {
            JsonObject o = new JsonObject();
            o.addProperty("global_step", 0);
            o.addProperty("stage", stage);
            o.addProperty("method", method.kind());
            o.addProperty("trainable_params", trainableCount);
            o.addProperty("total_params", totalCount);
            o.addProperty("trainable_share", trainableShare());
            o.addProperty("optimizer_state_bytes", optimizerStateBytes());
            return o;
        }
    }

    private TrainingMethod() {}

    /**
     * Sets {@code method} up on {@code model}. For LoRA, the adapters start from PEFT's initialisation
     * drawn with {@code seed}, or, when {@code adapterDir} is given (a resumed stage), from that adapter.
     * {@code where} starts error messages (e.g. {@code stage "x"}).
     */
    public static Prepared apply(Seq2SeqLm model, StageSpec.Method method, long seed, Path adapterDir, String where) {
        ModelFamily family = ModelFamilies.of(model.config());
        LoraSettings lora = null;
        if (method.isLora()) {
            Path init = method.loraInit() == null ? null : Path.of(method.loraInit());
            lora = init != null ? PeftAdapter.readSettings(init) : effectiveLora(family, method.lora());
            if (adapterDir == null && init != null) {
                PeftAdapter.load(model, init);
            } else if (adapterDir != null) {
                LoraSettings saved = PeftAdapter.load(model, adapterDir);
                if (!saved.equals(lora)) {
                    throw new UserError(adapterDir + ": adapter settings " + saved + " differ from the stage's " + lora);
                }
            } else {
                Lora.attach(model, lora, Lora.initializer(seed), where + ": field \"method.lora.targets\"");
            }
        }
        Map<String, NDArray> all = model.parameters();
        Predicate<String> which = selection(family, method, all, where);
        Map<String, NDArray> trainable = model.setTrainable(which);
        if (trainable.isEmpty()) {
            throw new UserError(where + ": field \"method\": method " + method.kind() + " leaves nothing to train in this "
                    + family.modelType() + " model" + (method.kind().equals("bitfit") ? " (it has no bias parameters)" : ""));
        }
        return new Prepared(method, lora, trainable, count(trainable), count(all));
    }

    /** The stage's LoRA settings with the family's default targets when it names none. */
    static LoraSettings effectiveLora(ModelFamily family, LoraSettings s) {
        if (!s.targets().isEmpty()) return s;
        return new LoraSettings(s.r(), s.alpha(), s.dropout(), family.loraDefaultTargets());
    }

    /** Which parameters train under {@code method}; block counts beyond the model's are refused. */
    static Predicate<String> selection(ModelFamily family, StageSpec.Method method, Map<String, NDArray> params,
                                       String where) {
        switch (method.kind()) {
            case "full":
                return n -> true;
            case "bitfit":
                return family::isBias;
            case "lora":
                return n -> n.endsWith(".lora_A.weight") || n.endsWith(".lora_B.weight");
            case "freeze": {
                checkBlocks(family, params, false, method.freezeEncoderLayers(), where, "freeze_encoder_layers");
                checkBlocks(family, params, true, method.freezeDecoderLayers(), where, "freeze_decoder_layers");
                return n -> {
                    if (method.freezeEmbeddings() && family.isEmbedding(n)) return false;
                    int enc = family.blockIndex(n, false);
                    if (enc >= 0 && enc < method.freezeEncoderLayers()) return false;
                    int dec = family.blockIndex(n, true);
                    return dec < 0 || dec >= method.freezeDecoderLayers();
                };
            }
            default:
                throw new IllegalArgumentException("unknown method " + method.kind());
        }
    }

    private static void checkBlocks(ModelFamily family, Map<String, NDArray> params, boolean decoder, int n, String where,
                                    String field) {
        int blocks = params.keySet().stream().mapToInt(p -> family.blockIndex(p, decoder) + 1).max().orElse(0);
        if (n > blocks) {
            throw new UserError(where + ": field \"method." + field + "\": " + n + " is more than the model's " + blocks + " "
                    + (decoder ? "decoder" : "encoder") + " blocks");
        }
    }

    private static long count(Map<String, NDArray> m) {
        return m.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }
}
