package org.dialtune.eval.metric;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtune.common.Json;
import org.dialtune.common.UniqueIds;
import org.dialtune.common.UserError;
import org.dialtune.common.Utf8Files;

/**
 * Reads prediction/reference pairs for scoring: a JSONL file with one object per line,
 * {@code {"id", "prediction", "reference"}} or {@code "references": [..]} for several, plus optional
 * {@code "options": [..]} (the label set, for out-of-label counts). Every problem is a one-line
 * {@link UserError} naming file:line and the field; nothing is skipped.
 */
public final class PairsFile {
    private PairsFile() {}

    public static List<MetricExample> read(Path file) {
        List<String> lines = Utf8Files.readLines(file);
        if (lines.stream().allMatch(String::isBlank)) {
            throw new UserError(file + ": empty: expected one {\"id\", \"prediction\", \"reference\"} object per line");
        }
        List<MetricExample> out = new ArrayList<>();
        UniqueIds ids = new UniqueIds(file);
        Integer firstOptionsLine = null;
        Integer firstNoOptionsLine = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String where = file + ":" + lineNo;
            if (lines.get(i).isBlank()) {
                throw new UserError(where + ": blank line (each line must be one JSON object; remove it)");
            }
            JsonObject o = parseObject(file, lineNo, lines.get(i));
            String id = idOf(where, o);
            ids.add(id, lineNo);
            String prediction = string(where, o, "prediction");
            List<String> references = references(where, o);
            Optional<List<String>> options = o.has("options") ? Optional.of(stringArray(where, o, "options", false))
                    : Optional.empty();
            // either every line lists its options or none does, so out-of-label counts cover all of them
            if (options.isPresent() && firstOptionsLine == null) firstOptionsLine = lineNo;
            if (options.isEmpty() && firstNoOptionsLine == null) firstNoOptionsLine = lineNo;
            if (firstOptionsLine != null && firstNoOptionsLine != null) {
                throw new UserError(where + ": field \"options\": " + (options.isPresent()
                        ? "given here but missing on line " + firstNoOptionsLine
                        : "missing here but given on line " + firstOptionsLine)
                        + " (give options on every line or on none)");
            }
            out.add(MetricExample.generated(id, prediction, references, options.orElse(List.of())));
        }
        return out;
    }

    private static JsonObject parseObject(Path file, int lineNo, String line) {
        JsonElement e;
        try {
            e = Json.parseLine(file, lineNo, line);
        } catch (UserError strictError) {
            throw nonFiniteNumber(file, lineNo, line).orElse(strictError);
        }
        if (!e.isJsonObject()) throw new UserError(file + ":" + lineNo + ": expected a JSON object, got " + e);
        return e.getAsJsonObject();
    }

    /** A bare NaN or Infinity where a value should be (e.g. written by pandas), with the field it belongs to. */
    private static final Pattern NON_FINITE = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(-?(?:NaN|Infinity))\\b");

    /** Strict JSON rejects NaN and Infinity with a parser message; name the field instead. */
    private static Optional<UserError> nonFiniteNumber(Path file, int lineNo, String line) {
        Matcher m = NON_FINITE.matcher(line);
        if (!m.find()) return Optional.empty();
        return Optional.of(new UserError(file + ":" + lineNo + ": field \"" + m.group(1) + "\": " + m.group(2)
                + " is not allowed (write the text as a JSON string)"));
    }

    private static String idOf(String where, JsonObject o) {
        JsonElement id = o.get("id");
        if (id == null || id.isJsonNull()) throw new UserError(where + ": field \"id\": missing");
        if (id.isJsonPrimitive() && (id.getAsJsonPrimitive().isString() || isInteger(id.getAsJsonPrimitive()))) {
            return id.getAsString();
        }
        throw new UserError(where + ": field \"id\": expected a string or an integer, got " + id);
    }

    private static boolean isInteger(JsonPrimitive p) {
        return p.isNumber() && p.getAsString().matches("-?\\d+");
    }

    private static String string(String where, JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) throw new UserError(where + ": field \"" + field + "\": missing");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new UserError(where + ": field \"" + field + "\": expected a string, got " + e);
        }
        return e.getAsString();
    }

    private static List<String> references(String where, JsonObject o) {
        boolean one = o.has("reference");
        boolean many = o.has("references");
        if (one && many) {
            throw new UserError(where + ": fields \"reference\" and \"references\": give one of them, not both");
        }
        if (!one && !many) {
            throw new UserError(where + ": field \"reference\": missing (give \"reference\" or \"references\")");
        }
        return one ? List.of(string(where, o, "reference")) : stringArray(where, o, "references", true);
    }

    private static List<String> stringArray(String where, JsonObject o, String field, boolean nonEmpty) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray()) {
            throw new UserError(where + ": field \"" + field + "\": expected an array of strings, got " + e);
        }
        JsonArray a = e.getAsJsonArray();
        if (nonEmpty && a.isEmpty()) throw new UserError(where + ": field \"" + field + "\": empty (give at least one)");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new UserError(where + ": field \"" + field + "\"[" + i + "]: expected a string, got " + x);
            }
            out.add(x.getAsString());
        }
        return out;
    }
}
