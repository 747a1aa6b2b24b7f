package org.dialtune.format;

import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dialtune.common.Json;
import org.dialtune.common.SpecObject;

/**
 * Parses {@code instructions/<task>.json}: {@code {"task": "...", "instructions": [{"id": "...",
 * "text": "..."}, ...]}} with 3 to 10 wordings, unique ids and distinct texts.
 */
public final class InstructionFileParser {
    public static final int MIN = 3;
    public static final int MAX = 10;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private InstructionFileParser() {}

    public static InstructionSet parse(Path file) {
        SpecObject o = SpecObject.of(file, "", Json.parseFile(file));
        String task = o.string("task");
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!task.equals(stem)) {
            throw o.error("task", "\"" + task + "\" differs from the file name (rename the file to " + task + ".json)");
        }
        JsonElement list = o.get("instructions");
        if (list == null) throw o.error("instructions", "missing (it is required)");
        if (!list.isJsonArray()) throw o.error("instructions", "expected a list of {\"id\", \"text\"} objects");
        int n = list.getAsJsonArray().size();
        if (n < MIN || n > MAX) {
            throw o.error("instructions", "has " + n + " wordings; give between " + MIN + " and " + MAX);
        }
        List<Instruction> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < n; i++) {
            SpecObject w = SpecObject.of(file, "instructions." + i, list.getAsJsonArray().get(i));
            String id = w.string("id");
            if (!ID.matcher(id).matches()) {
                throw w.error("id", "\"" + id + "\" is not a valid id (use lower-case letters, digits, '-', '_')");
            }
            String text = w.string("text").strip();
            w.finish();
            if (!ids.add(id)) throw w.error("id", "\"" + id + "\" is used twice (ids must be unique)");
            if (!texts.add(text)) throw w.error("text", "same wording as an earlier instruction");
            out.add(new Instruction(id, text));
        }
        o.finish();
        return new InstructionSet(task, out, file);
    }
}
