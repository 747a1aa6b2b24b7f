package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one value of a dialogue example comes from. In a task file it is written as
 * <ul>
 *   <li>{@code "path"} — a {@link JsonPath};</li>
 *   <li>{@code ["path1", "path2"]} — the first path that is present (e.g. {@code summary} in one split,
 *       {@code summary1} in another);</li>
 *   <li>{@code {"template": "Is {x} the {r} of {y}?"}} — text with paths in braces;</li>
 *   <li>{@code {"value": "literal"}} — a constant;</li>
 * </ul>
 * and the object form may add {@code "join"} (separator when the value is a list, default newline).
 * With {@code "path"}, {@code "each"} renders every element of a list (or every entry of an object) through
 * its own template before joining: {@code @} is the element, {@code $key} its index or key, e.g.
 * {@code {"path": "turn_label", "each": "{@.0}={@.1}", "join": ", "}}; {@code "empty"} is the text of
 * an empty or missing list or object (e.g. {@code "none"} for an empty dialogue state).
 */
public final class FieldSpec {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

    private final List<JsonPath> paths;
    private final String template;
    private final String literal;
    private final String join;
    private final String each;
    private final String empty;
    private final String description;

    private FieldSpec(List<JsonPath> paths, String template, String literal, String join, String description) {
        this(paths, template, literal, join, null, null, description);
    }

    private FieldSpec(List<JsonPath> paths, String template, String literal, String join, String each, String empty,
            String description) {
        this.paths = paths;
        this.template = template;
        this.literal = literal;
        this.join = join;
        this.each = each;
        this.empty = empty;
        this.description = description;
    }

    public static FieldSpec path(String path) {
        return new FieldSpec(List.of(JsonPath.parse(path)), null, null, "\n", path);
    }

    /** Parses the value of field {@code key} of {@code owner}. */
    public static FieldSpec parse(SpecObject owner, String key) {
        JsonElement e = owner.get(key);
        if (e == null) return null;
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) return path(e.getAsString());
            if (e.isJsonArray()) return new FieldSpec(parsePaths(owner, key, e.getAsJsonArray()), null, null, "\n",
                    e.toString());
            if (e.isJsonObject()) {
                SpecObject o = owner.object(key);
                String join = o.has("join") ? rawString(o, "join") : "\n";
                List<JsonPath> paths = new ArrayList<>();
                String template = o.optString("template", null);
                String literal = o.has("value") ? rawString(o, "value") : null;
                if (o.has("path")) paths = parsePaths(owner, key, asArray(o.get("path")));
                int forms = (template != null ? 1 : 0) + (literal != null ? 1 : 0) + (paths.isEmpty() ? 0 : 1);
                if (forms != 1) throw owner.error(key, "give exactly one of \"path\", \"template\", \"value\"");
                if (template != null) {
                    Matcher m = PLACEHOLDER.matcher(template);
                    while (m.find()) JsonPath.parse(m.group(1));
                }
                String each = o.optString("each", null);
                String empty = o.has("empty") ? rawString(o, "empty") : null;
                if ((each != null || empty != null) && paths.isEmpty()) {
                    throw o.error(each != null ? "each" : "empty", "only applies together with \"path\"");
                }
                if (each != null) {
                    Matcher m = PLACEHOLDER.matcher(each);
                    while (m.find()) JsonPath.parse(m.group(1));
                }
                o.finish();
                return new FieldSpec(List.copyOf(paths), template, literal, join, each, empty, e.toString());
            }
        } catch (IllegalArgumentException ex) {
            throw owner.error(key, ex.getMessage());
        }
        throw owner.error(key, "expected a path string, a list of paths, or an object with \"path\", "
                + "\"template\" or \"value\"");
    }

    private static String rawString(SpecObject o, String key) {
        JsonElement v = o.get(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) throw o.error(key, "expected a string");
        return v.getAsString();
    }

    private static JsonArray asArray(JsonElement e) {
        if (e.isJsonArray()) return e.getAsJsonArray();
        JsonArray a = new JsonArray();
        a.add(e);
        return a;
    }

    private static List<JsonPath> parsePaths(SpecObject owner, String key, JsonArray arr) {
        List<JsonPath> out = new ArrayList<>();
        for (JsonElement p : arr) {
            if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isString()) {
                throw owner.error(key, "expected path strings, found " + p);
            }
            out.add(JsonPath.parse(p.getAsString()));
        }
        if (out.isEmpty()) throw owner.error(key, "empty list of paths");
        return List.copyOf(out);
    }

    /** True if any path refers to the current expansion item ({@code @...}). */
    public boolean usesItem() {
        if (paths.stream().anyMatch(JsonPath::isItemRelative)) return true;
        if (template == null) return false;
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) if (JsonPath.parse(m.group(1)).isItemRelative()) return true;
        return false;
    }

    /** The raw JSON value (first present path), or null; templates and literals give a string. */
    public JsonElement element(JsonPath.Scope scope) {
        if (literal != null || template != null) {
            String t = text(scope);
            return t == null ? null : new com.google.gson.JsonPrimitive(t);
        }
        for (JsonPath p : paths) {
            JsonElement v = p.resolve(scope);
            if (v != null) return v;
        }
        return null;
    }

    /** The value as text (lists joined), or null when missing. */
    public String text(JsonPath.Scope scope) {
        if (literal != null) return literal;
        if (template != null) return render(template, scope);
        JsonElement v = element(scope);
        if (v == null && empty != null) return empty; // datasets such as NLU++ omit empty slot lists
        if (each != null && v != null && (v.isJsonArray() || v.isJsonObject())) return eachText(scope, v);
        if (empty != null && v != null && (v.isJsonArray() && v.getAsJsonArray().isEmpty()
                || v.isJsonObject() && v.getAsJsonObject().isEmpty())) {
            return empty;
        }
        return toText(v, join);
    }

    /** Renders each element / entry through {@code each}; a missing placeholder makes the whole value missing. */
    private String eachText(JsonPath.Scope scope, JsonElement v) {
        List<String> parts = new ArrayList<>();
        if (v.isJsonArray()) {
            JsonArray a = v.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) parts.add(render(each, new JsonPath.Scope(scope.record(), String.valueOf(i), a.get(i))));
        } else {
            for (var e : v.getAsJsonObject().entrySet()) {
                parts.add(render(each, new JsonPath.Scope(scope.record(), e.getKey(), e.getValue())));
            }
        }
        if (parts.contains(null)) return null;
        if (parts.isEmpty()) return empty != null ? empty : "";
        return String.join(join, parts);
    }

    private String render(String tmpl, JsonPath.Scope scope) {
        Matcher m = PLACEHOLDER.matcher(tmpl);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = toText(JsonPath.parse(m.group(1)).resolve(scope), join);
            if (v == null) return null;
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Text of a JSON value: strings as they are, numbers and booleans printed, lists joined. */
    public static String toText(JsonElement v, String join) {
        if (v == null || v.isJsonNull()) return null;
        if (v.isJsonPrimitive()) return v.getAsString();
        if (v.isJsonArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonElement x : v.getAsJsonArray()) {
                String t = toText(x, join);
                if (t != null) parts.add(t);
            }
            return String.join(join, parts);
        }
        return null; // an object has no single text; callers report it as missing/unusable
    }

    @Override
    public String toString() {
        return description;
    }
}
