package org.dialtune.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a record, written with dots: {@code userInput.text}, {@code 1.0.question},
 * {@code chat_logs.*.text}. Numbers index lists (negative counts from the end), {@code *} maps over a
 * list, {@code \.} is a literal dot inside a key. A path starting with {@code @} is relative to the
 * current item of a {@code for_each} / {@code each_turn} expansion ({@code @} alone is the item);
 * {@code $key} is the record's key in its container (object key or list index).
 *
 * <p>Hand-written because JSONPath libraries bring their own JSON model; this needs ten lines of
 * semantics on Gson trees and error messages in our format.
 */
public final class JsonPath {
    public static final String ITEM = "@";
    public static final String KEY = "$key";

    private final String text;
    private final boolean fromItem;
    private final boolean recordKey;
    private final List<String> segments;

    private JsonPath(String text, boolean fromItem, boolean recordKey, List<String> segments) {
        this.text = text;
        this.fromItem = fromItem;
        this.recordKey = recordKey;
        this.segments = segments;
    }

    /** Parses a path; returns null with {@code error} semantics left to the caller (blank = invalid). */
    public static JsonPath parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty path");
        if (text.equals(KEY)) return new JsonPath(text, false, true, List.of());
        boolean item = text.equals(ITEM) || text.startsWith(ITEM + ".");
        String rest = item ? text.substring(1) : text;
        if (rest.startsWith(".")) rest = rest.substring(1);
        List<String> segs = new ArrayList<>();
        if (!rest.isEmpty()) {
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '\\' && i + 1 < rest.length() && rest.charAt(i + 1) == '.') {
                    cur.append('.');
                    i++;
                } else if (c == '.') {
                    segs.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            segs.add(cur.toString());
        }
        for (String s : segs) {
            if (s.isEmpty()) throw new IllegalArgumentException("empty segment in path \"" + text + "\"");
        }
        return new JsonPath(text, item, false, List.copyOf(segs));
    }

    public boolean isItemRelative() {
        return fromItem;
    }

    /** The value at this path, or null when any step is missing (a JSON null counts as missing). */
    public JsonElement resolve(Scope scope) {
        if (recordKey) return scope.key() == null ? null : new com.google.gson.JsonPrimitive(scope.key());
        JsonElement start = fromItem ? scope.item() : scope.record();
        if (start == null) return null;
        return walk(start, 0);
    }

    private JsonElement walk(JsonElement node, int i) {
        if (node == null || node instanceof JsonNull) return null;
        if (i == segments.size()) return node;
        String seg = segments.get(i);
        if (seg.equals("*")) {
            if (!node.isJsonArray()) return null;
            JsonArray out = new JsonArray();
            for (JsonElement e : node.getAsJsonArray()) {
                JsonElement v = walk(e, i + 1);
                if (v != null) out.add(v);
            }
            return out;
        }
        if (node.isJsonObject()) return walk(node.getAsJsonObject().get(seg), i + 1);
        if (node.isJsonArray()) {
            Integer idx = index(seg);
            if (idx == null) return null;
            JsonArray a = node.getAsJsonArray();
            int k = idx < 0 ? a.size() + idx : idx;
            return k >= 0 && k < a.size() ? walk(a.get(k), i + 1) : null;
        }
        return null;
    }

    private static Integer index(String seg) {
        try {
            return Integer.parseInt(seg);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** What paths are resolved against: the record, its key, and the current expansion item. */
    public record Scope(JsonElement record, String key, JsonElement item) {}
}
