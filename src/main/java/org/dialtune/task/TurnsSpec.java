package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to read a list of dialogue turns from a record. The value at {@code path} may be
 * <ul>
 *   <li>a list of objects: {@code text} and {@code speaker} are paths inside each object;</li>
 *   <li>a list of strings, or one string cut into lines by {@code split} (e.g. {@code "\n"});</li>
 *   <li>one string: a single turn.</li>
 * </ul>
 * With {@code speaker_prefix} a string turn like {@code "W: Hello"} is cut into speaker and text.
 * {@code speaker_names} renames speakers (e.g. {@code mturk_agent_1} → {@code A}); turns whose whole
 * text is listed in {@code ignore} (placeholders such as {@code <Start>}) are left out.
 */
public final class TurnsSpec {
    // A speaker tag is short and contains no colon; "Note: ..." style texts rarely fit in 40 chars.
    private static final Pattern PREFIX = Pattern.compile("^\\s*([^:\\n]{1,40}?)\\s*:\\s*(.*)$", Pattern.DOTALL);

    /** A parsed turn with the raw JSON it came from (the {@code @} item in {@code each_turn} mode). */
    public record Parsed(Turn turn, JsonElement raw) {}

    private final FieldSpec path;
    private final JsonPath text;
    private final JsonPath speaker;
    private final String split;
    private final boolean speakerPrefix;
    private final Map<String, String> speakerNames;
    private final List<String> ignore;

    private TurnsSpec(FieldSpec path, JsonPath text, JsonPath speaker, String split, boolean speakerPrefix,
            Map<String, String> speakerNames, List<String> ignore) {
        this.ignore = ignore;
        this.path = path;
        this.text = text;
        this.speaker = speaker;
        this.split = split;
        this.speakerPrefix = speakerPrefix;
        this.speakerNames = speakerNames;
    }

    public static TurnsSpec parse(SpecObject owner, String key) {
        JsonElement e = owner.get(key);
        if (e == null) return null;
        if (e.isJsonPrimitive()) {
            return new TurnsSpec(FieldSpec.parse(owner, key), null, null, null, false, Map.of(), List.of());
        }
        SpecObject o = owner.object(key);
        FieldSpec path = FieldSpec.parse(o, "path");
        if (path == null) throw o.error("path", "missing (it is required)");
        try {
            String textPath = o.optString("text", null);
            String speakerPath = o.optString("speaker", null);
            String split = null;
            if (o.has("split")) {
                JsonElement s = o.get("split");
                if (!s.isJsonPrimitive() || s.getAsString().isEmpty()) throw o.error("split", "expected a non-empty string");
                split = s.getAsString();
            }
            boolean prefix = o.optBoolean("speaker_prefix", false);
            Map<String, String> names = new java.util.LinkedHashMap<>();
            SpecObject n = o.object("speaker_names");
            if (n != null) {
                for (String k : n.keys()) names.put(k, n.string(k));
            }
            List<String> ignore = o.stringList("ignore");
            o.finish();
            return new TurnsSpec(path, textPath == null ? null : JsonPath.parse(textPath),
                    speakerPath == null ? null : JsonPath.parse(speakerPath), split, prefix, Map.copyOf(names),
                    List.copyOf(ignore));
        } catch (IllegalArgumentException ex) {
            throw owner.error(key, ex.getMessage());
        }
    }

    public boolean usesItem() {
        return path.usesItem();
    }

    /** The turns of one record; empty turns are dropped from a list (they carry nothing to show). */
    public List<Parsed> read(JsonPath.Scope scope, String field) {
        JsonElement v = path.element(scope);
        if (v == null) throw new RowProblem("field \"" + field + "\" (path " + path + ") is missing");
        List<Parsed> out = new ArrayList<>();
        if (v.isJsonArray()) {
            for (JsonElement t : v.getAsJsonArray()) {
                Parsed p = one(t, field);
                if (p != null) out.add(p);
            }
        } else if (v.isJsonPrimitive() && split != null) {
            for (String line : v.getAsString().split(Pattern.quote(split), -1)) {
                Parsed p = fromString(line, new com.google.gson.JsonPrimitive(line));
                if (p != null) out.add(p);
            }
        } else {
            Parsed p = one(v, field);
            if (p != null) out.add(p);
        }
        return out;
    }

    private Parsed one(JsonElement t, String field) {
        if (t.isJsonObject()) {
            if (text == null) {
                throw new RowProblem("field \"" + field + "\": turns are objects; say which member holds the text"
                        + " with \"text\"");
            }
            JsonPath.Scope s = new JsonPath.Scope(t, null, t);
            String body = FieldSpec.toText(text.resolve(s), " ");
            if (body == null) throw new RowProblem("field \"" + field + "\": a turn has no \"" + text + "\"");
            if (body.isBlank() || ignore.contains(body.strip())) return null;
            String who = speaker == null ? null : FieldSpec.toText(speaker.resolve(s), ", ");
            return new Parsed(new Turn(rename(who), body.strip()), t);
        }
        String body = FieldSpec.toText(t, " ");
        if (body == null) throw new RowProblem("field \"" + field + "\": a turn is neither text nor an object");
        return fromString(body, t);
    }

    private Parsed fromString(String line, JsonElement raw) {
        if (line.isBlank() || ignore.contains(line.strip())) return null;
        if (speakerPrefix) {
            Matcher m = PREFIX.matcher(line);
            if (m.matches() && !m.group(2).isBlank()) {
                return new Parsed(new Turn(rename(m.group(1)), m.group(2).strip()), raw);
            }
        }
        return new Parsed(new Turn(null, line.strip()), raw);
    }

    private String rename(String who) {
        if (who == null || who.isBlank()) return null;
        return speakerNames.getOrDefault(who, who.strip());
    }
}
