package org.dialtune.eval.instructions;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * Reads the wordings of the analysed tasks from {@code instructions/<task>.json}
 * ({@code {"task": ..., "instructions": [{"id": ..., "text": ...}, ...]}}). Only what the analysis
 * needs is checked here; the task suite's own loader validates the files fully.
 */
public final class WordingFiles {
    private WordingFiles() {}

    public static List<Wording> load(Path dir, Collection<String> tasks) {
        List<Wording> out = new ArrayList<>();
        for (String task : tasks) out.addAll(load(dir.resolve(task + ".json"), task));
        return out;
    }

    static List<Wording> load(Path file, String task) {
        JsonElement root = Json.parseFile(file);
        if (!root.isJsonObject()) throw new UserError(file + ": expected a JSON object at the top level");
        JsonObject o = root.getAsJsonObject();
        String named = string(file, o, "task", "task");
        if (!named.equals(task)) {
            throw new UserError(file + ": field \"task\" is \"" + named + "\", expected \"" + task + "\" (the file name)");
        }
        JsonElement list = o.get("instructions");
        if (list == null || !list.isJsonArray()) {
            throw new UserError(file + ": field \"instructions\" must be a list of {\"id\", \"text\"} objects");
        }
        JsonArray a = list.getAsJsonArray();
        List<Wording> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isJsonObject()) {
                throw new UserError(file + ": field \"instructions." + i + "\" must be an {\"id\", \"text\"} object");
            }
            JsonObject w = a.get(i).getAsJsonObject();
            out.add(new Wording(task, string(file, w, "id", "instructions." + i + ".id"),
                    string(file, w, "text", "instructions." + i + ".text").strip()));
        }
        return out;
    }

    private static String string(Path file, JsonObject o, String key, String path) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new UserError(file + ": field \"" + path + "\" must be a string");
        }
        return e.getAsString();
    }
}
