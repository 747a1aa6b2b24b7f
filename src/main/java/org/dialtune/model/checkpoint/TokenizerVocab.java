package org.dialtune.model.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/** The number of token ids a HF {@code tokenizer.json} can produce (DJL's tokenizer has no vocab-size API). */
public final class TokenizerVocab {
    private TokenizerVocab() {}

    /**
     * {@code dirOrFile}: a tokenizer.json or a directory holding one. Size = highest id + 1, over the
     * model's vocabulary (BPE: a map of token to id; Unigram, T5's: a list of [piece, score], the id
     * being the position) and the added tokens.
     */
    public static int size(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(Checkpoint.TOKENIZER) : dirOrFile;
        JsonElement root = Json.parseFile(file);
        JsonObject model = root.isJsonObject() ? root.getAsJsonObject().getAsJsonObject("model") : null;
        JsonElement vocab = model == null ? null : model.get("vocab");
        if (vocab == null || !vocab.isJsonObject() && !vocab.isJsonArray()) {
            throw new UserError(file + ": field \"model.vocab\" missing (expected a Hugging Face tokenizer.json)");
        }
        long max = -1;
        if (vocab.isJsonArray()) {
            max = vocab.getAsJsonArray().size() - 1;
        } else {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                max = Math.max(max, e.getValue().getAsLong());
            }
        }
        JsonElement added = root.getAsJsonObject().get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) max = Math.max(max, t.getAsJsonObject().get("id").getAsLong());
        }
        return Math.toIntExact(max + 1);
    }
}
