package org.dialtune.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.common.UniqueIds;
import org.dialtune.common.UserError;
import org.dialtune.common.Utf8Files;

/**
 * Records of a JSONL input file with typed field access whose errors name {@code file:line} and the
 * field. Blank lines carry no record and are passed over; every other line must be a JSON object with
 * an {@code "id"} used by no other line ({@link UniqueIds}).
 */
final class JsonlInput {
    /** One line's object and where it came from. */
    record Line(Path file, int lineNo, JsonObject json) {
        /** The record's {@code "id"}: a string or a number, written back unchanged. */
        JsonPrimitive id() {
            JsonElement e = required("id");
            if (!(e instanceof JsonPrimitive p) || p.isBoolean()) throw error("id", "must be a string or a number, got " + e);
            return p;
        }

        String string(String field) {
            JsonElement e = required(field);
            if (!(e instanceof JsonPrimitive p) || !p.isString()) throw error(field, "must be a string, got " + e);
            return p.getAsString();
        }

        /** A non-empty array of strings. */
        List<String> strings(String field) {
            JsonElement e = required(field);
            if (!(e instanceof JsonArray a)) throw error(field, "must be an array of strings, got " + e);
            if (a.isEmpty()) throw error(field, "is empty: give at least one candidate");
            List<String> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof JsonPrimitive p) || !p.isString()) {
                    throw error(field, "entry " + i + " must be a string, got " + a.get(i));
                }
                out.add(p.getAsString());
            }
            return out;
        }

        private JsonElement required(String field) {
            JsonElement e = json.get(field);
            if (e == null || e.isJsonNull()) throw error(field, "is missing");
            return e;
        }

        UserError error(String field, String what) {
            return new UserError(file + ":" + lineNo + ": field \"" + field + "\" " + what);
        }
    }

    private JsonlInput() {}

    static List<Line> read(Path file) {
        List<Line> out = new ArrayList<>();
        UniqueIds ids = new UniqueIds(file);
        List<String> lines = Utf8Files.readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) continue;
            JsonElement e = Json.parseLine(file, lineNo, lines.get(i));
            if (!e.isJsonObject()) throw new UserError(file + ":" + lineNo + ": expected a JSON object, got " + e);
            Line line = new Line(file, lineNo, e.getAsJsonObject());
            ids.add(line.id().getAsString(), lineNo);
            out.add(line);
        }
        if (out.isEmpty()) throw new UserError(file + ": no records (expected one JSON object per line)");
        return out;
    }
}
