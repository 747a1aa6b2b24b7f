package org.dialtune.common;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict, typed access to the fields of one JSON object in a user-written file. Every error names
 * the file and the dotted field path; {@link #finish()} rejects keys nobody asked for, so a typo
 * such as {@code "warmup_step"} is reported instead of silently ignored.
 */
public final class JsonFields {
    private final JsonObject obj;
    private final String file;
    private final String prefix;
    private final Set<String> seen = new HashSet<>();

    public JsonFields(JsonObject obj, String file, String prefix) {
        this.obj = obj;
        this.file = file;
        this.prefix = prefix;
    }

    /** Parses {@code path} and requires a top-level object. */
    public static JsonFields ofFile(java.nio.file.Path path) {
        JsonElement e = Json.parseFile(path);
        if (!e.isJsonObject()) throw new UserError(path + ": expected a JSON object at the top level");
        return new JsonFields(e.getAsJsonObject(), path.toString(), "");
    }

    public String file() {
        return file;
    }

    public boolean has(String key) {
        seen.add(key);
        return obj.has(key) && !obj.get(key).isJsonNull();
    }

    public UserError error(String key, String what) {
        return new UserError(file + ": field \"" + prefix + key + "\" " + what);
    }

    private JsonElement require(String key) {
        if (!has(key)) throw error(key, "is missing");
        return obj.get(key);
    }

    private JsonPrimitive primitive(String key, String kind) {
        JsonElement e = require(key);
        if (!e.isJsonPrimitive()) throw error(key, "must be " + kind + ", got " + e);
        return e.getAsJsonPrimitive();
    }

    public String string(String key) {
        JsonPrimitive p = primitive(key, "a string");
        if (!p.isString()) throw error(key, "must be a string, got " + p);
        return p.getAsString();
    }

    public String string(String key, String def) {
        return has(key) ? string(key) : def;
    }

    public double number(String key) {
        JsonPrimitive p = primitive(key, "a number");
        if (!p.isNumber()) throw error(key, "must be a number, got " + p);
        double v = p.getAsDouble();
        if (!Double.isFinite(v)) throw error(key, "must be a finite number, got " + p);
        return v;
    }

    public double number(String key, double def) {
        return has(key) ? number(key) : def;
    }

    public long integer(String key) {
        double v = number(key);
        if (v != Math.rint(v)) throw error(key, "must be a whole number, got " + v);
        return (long) v;
    }

    public long integer(String key, long def) {
        return has(key) ? integer(key) : def;
    }

    public boolean bool(String key, boolean def) {
        if (!has(key)) return def;
        JsonPrimitive p = primitive(key, "true or false");
        if (!p.isBoolean()) throw error(key, "must be true or false, got " + p);
        return p.getAsBoolean();
    }

    public List<String> strings(String key) {
        JsonElement e = require(key);
        if (!e.isJsonArray()) throw error(key, "must be a list of strings, got " + e);
        List<String> out = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw error(key, "item " + i + " must be a string, got " + x);
            }
            out.add(x.getAsString());
        }
        return out;
    }

    public List<String> strings(String key, List<String> def) {
        return has(key) ? strings(key) : def;
    }

    /** Every key of this object, in file order (each counts as understood): for maps such as id → path. */
    public List<String> keys() {
        seen.addAll(obj.keySet());
        return new ArrayList<>(obj.keySet());
    }

    /** The raw JSON at {@code key}, for values handed on whole (e.g. a stage template). */
    public JsonElement raw(String key) {
        return require(key);
    }

    /** A list of whole numbers. */
    public List<Long> integers(String key, List<Long> def) {
        if (!has(key)) return def;
        JsonElement e = obj.get(key);
        if (!e.isJsonArray()) throw error(key, "must be a list of whole numbers, got " + e);
        List<Long> out = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()
                    || x.getAsDouble() != Math.rint(x.getAsDouble())) {
                throw error(key, "item " + i + " must be a whole number, got " + x);
            }
            out.add(x.getAsLong());
        }
        return out;
    }

    /** The nested object at {@code key}; an absent key gives an empty object (all defaults). */
    public JsonFields object(String key) {
        if (!has(key)) return new JsonFields(new JsonObject(), file, prefix + key + ".");
        JsonElement e = obj.get(key);
        if (!e.isJsonObject()) throw error(key, "must be an object, got " + e);
        return new JsonFields(e.getAsJsonObject(), file, prefix + key + ".");
    }

    /** Fails on any key that was never asked for, listing the keys that are understood. */
    public void finish() {
        for (String key : obj.keySet()) {
            if (!seen.contains(key)) {
                throw error(key, "is not a known field (known: " + String.join(", ", new TreeSet<>(seen)) + ")");
            }
        }
    }
}
