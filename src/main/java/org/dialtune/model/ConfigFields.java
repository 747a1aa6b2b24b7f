package org.dialtune.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import org.dialtune.common.UserError;

/**
 * Typed reads of a {@code config.json} object for a family's config class: absent or null keys take
 * the default, a wrong type or range is a {@link UserError} naming the file and the field.
 */
public final class ConfigFields {
    private final JsonObject raw;
    private final Path source;

    public ConfigFields(JsonObject raw, Path source) {
        this.raw = raw;
        this.source = source;
    }

    public UserError error(String field, String what) {
        return new UserError(source + ": field \"" + field + "\" " + what);
    }

    /** The value, or null when the key is absent or null. */
    public JsonElement get(String key) {
        JsonElement e = raw.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public double num(String key, double def) {
        JsonElement e = get(key);
        if (e == null) return def;
        if (!(e instanceof JsonPrimitive p) || !p.isNumber()) throw error(key, "must be a number, got " + e);
        return p.getAsDouble();
    }

    public int positive(String key, int def) {
        double v = num(key, def);
        if (v < 1 || v != Math.rint(v)) throw error(key, "must be a positive integer, got " + v);
        return (int) v;
    }

    /** A dropout rate: in [0, 1). */
    public float prob(String key, float def) {
        double v = num(key, def);
        if (v < 0 || v >= 1) throw error(key, "must be in [0, 1), got " + v);
        return (float) v;
    }

    public boolean bool(String key, boolean def) {
        JsonElement e = get(key);
        if (e == null) return def;
        if (!(e instanceof JsonPrimitive p) || !p.isBoolean()) throw error(key, "must be true or false, got " + e);
        return p.getAsBoolean();
    }

    public String str(String key, String def) {
        JsonElement e = get(key);
        if (e == null) return def;
        if (!(e instanceof JsonPrimitive p) || !p.isString()) throw error(key, "must be a string, got " + e);
        return p.getAsString();
    }

    /** A token id that may be absent or null (-1 then), else {@code def} when absent. */
    public int optionalId(String key, int def) {
        if (raw.has(key) && raw.get(key).isJsonNull()) return -1;
        return (int) num(key, def);
    }
}
