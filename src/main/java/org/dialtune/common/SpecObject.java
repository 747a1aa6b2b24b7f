package org.dialtune.common;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of one JSON object in a user-written file (task, instruction, stage, run, experiment,
 * split files): typed getters that name the file and the field in their errors, and {@link #finish}
 * rejects keys nobody asked for, so a typo such as {@code "lables"} or {@code "warmup_step"} fails
 * loudly instead of being ignored.
 */
public final class SpecObject {
    private final Path file;
    private final String prefix;
    private final JsonObject obj;
    private final Set<String> known = new LinkedHashSet<>();

    public SpecObject(Path file, String prefix, JsonObject obj) {
        this.file = file;
        this.prefix = prefix;
        this.obj = obj;
    }

    /** Wraps {@code element}, which must be an object, named {@code field} in messages. */
    public static SpecObject of(Path file, String field, JsonElement element) {
        if (element == null || !element.isJsonObject()) {
            throw new UserError(file + ": " + (field.isEmpty() ? "top level" : "field \"" + field + "\"")
                    + ": expected a JSON object");
        }
        return new SpecObject(file, field, element.getAsJsonObject());
    }

    public Path file() {
        return file;
    }

    /** The dotted name of one of this object's fields, as used in messages. */
    public String name(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    public UserError error(String key, String problem) {
        return new UserError(file + ": field \"" + name(key) + "\": " + problem);
    }

    public boolean has(String key) {
        known.add(key);
        JsonElement e = obj.get(key);
        return e != null && !e.isJsonNull();
    }

    public JsonElement get(String key) {
        known.add(key);
        JsonElement e = obj.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public String string(String key) {
        String s = optString(key, null);
        if (s == null) throw error(key, "missing (it is required)");
        return s;
    }

    public String optString(String key, String fallback) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw error(key, "expected a string");
        String s = e.getAsString();
        if (s.isBlank()) throw error(key, "must not be empty");
        return s;
    }

    public boolean optBoolean(String key, boolean fallback) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw error(key, "expected true or false");
        return e.getAsBoolean();
    }

    public int optInt(String key, int fallback, int min) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw error(key, "expected a whole number");
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw error(key, "expected a whole number >= " + min + ", got " + e);
        }
        return (int) d;
    }

    /** A string or a list of strings, as a list (empty when absent). */
    public List<String> stringList(String key) {
        JsonElement e = get(key);
        List<String> out = new ArrayList<>();
        if (e == null) return out;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            out.add(e.getAsString());
            return out;
        }
        if (!e.isJsonArray()) throw error(key, "expected a string or a list of strings");
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString() || x.getAsString().isBlank()) {
                throw error(key, "expected a list of non-empty strings, found " + x);
            }
            out.add(x.getAsString());
        }
        return out;
    }

    public SpecObject object(String key) {
        JsonElement e = get(key);
        if (e == null) return null;
        if (!e.isJsonObject()) throw error(key, "expected a JSON object");
        return new SpecObject(file, name(key), e.getAsJsonObject());
    }

    public Set<String> keys() {
        return obj.keySet();
    }

    /** Parses {@code file}, which must hold one JSON object. */
    public static SpecObject ofFile(Path file) {
        return of(file, "", Json.parseFile(file));
    }

    public double optNumber(String key, double fallback) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !Double.isFinite(e.getAsDouble())) {
            throw error(key, "expected a number, got " + e);
        }
        return e.getAsDouble();
    }

    public long optLong(String key, long fallback, long min) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        return wholeNumber(key, e, min);
    }

    /** A list of whole numbers, each at least {@code min} ({@code fallback} when absent). */
    public List<Long> longList(String key, List<Long> fallback, long min) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonArray()) throw error(key, "expected a list of whole numbers, got " + e);
        List<Long> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) out.add(wholeNumber(key, x, min));
        return out;
    }

    private long wholeNumber(String key, JsonElement e, long min) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw error(key, "expected a whole number, got " + e);
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < min || d > Long.MAX_VALUE) {
            throw error(key, "expected a whole number >= " + min + ", got " + e);
        }
        return (long) d;
    }

    /** The nested object at {@code key}, or an empty one (all defaults) when absent. */
    public SpecObject objectOrEmpty(String key) {
        SpecObject o = object(key);
        return o != null ? o : new SpecObject(file, name(key), new JsonObject());
    }

    /** Every key of this object, in file order, all counted as understood (for maps such as id → path). */
    public List<String> allKeys() {
        known.addAll(obj.keySet());
        return new ArrayList<>(obj.keySet());
    }

    /** Fails on the first key that no getter asked for, listing the allowed ones. */
    public void finish() {
        for (String k : obj.keySet()) {
            if (!known.contains(k)) {
                throw new UserError(file + ": field \"" + name(k) + "\": unknown field (allowed here: "
                        + String.join(", ", known) + ")");
            }
        }
    }
}
