package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a classification task's answers come from: a fixed list ({@code labels: [...]}), the sorted
 * labels of one split ({@code labels: "from_data"}, read from {@code fromSplit}), or each example's
 * own options ({@code fromOptions}, when {@code fields.options} is set). Raw labels are shown through
 * {@code names} (explicit raw → words) or else the named {@code verbalize} transforms.
 */
public record LabelSpec(List<String> fixed, String fromSplit, boolean fromOptions, Map<String, String> names,
        List<String> verbalize) {
    public static final List<String> TRANSFORMS =
            List.of("underscores_to_spaces", "hyphens_to_spaces", "dots_to_spaces", "lowercase");

    public LabelSpec {
        fixed = fixed == null ? null : List.copyOf(fixed);
        names = Map.copyOf(names);
        verbalize = List.copyOf(verbalize);
    }

    /**
     * Reads the label fields of a task file ({@code labels}, {@code label_names}, {@code verbalize},
     * {@code labels_from_split}); null for generation tasks, which must not have them.
     */
    static LabelSpec parse(SpecObject t, TaskType type, boolean optionsFromData, java.util.Set<String> splits) {
        boolean has = t.has("labels") || t.has("label_names") || t.has("verbalize") || t.has("labels_from_split");
        if (type == TaskType.GENERATION) {
            if (has) throw t.error(t.has("labels") ? "labels" : "label_names", "only classification tasks have labels");
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        SpecObject n = t.object("label_names");
        if (n != null) {
            for (String k : n.keys()) names.put(k, n.string(k));
            n.finish();
        }
        List<String> verbalize = t.stringList("verbalize");
        for (String v : verbalize) {
            if (!LabelSpec.TRANSFORMS.contains(v)) {
                throw t.error("verbalize", "unknown transform \"" + v + "\" (use: " + String.join(", ", LabelSpec.TRANSFORMS) + ")");
            }
        }
        String fromSplit = t.optString("labels_from_split", null);
        JsonElement l = t.get("labels");
        if (optionsFromData) {
            if (l != null) throw t.error("labels", "this task takes its options from \"fields.options\"; remove \"labels\"");
            if (!names.isEmpty() || !verbalize.isEmpty()) {
                throw t.error(names.isEmpty() ? "verbalize" : "label_names",
                        "only applies to a label set; options from \"fields.options\" are shown as they are");
            }
            if (fromSplit != null) throw t.error("labels_from_split", "only applies to \"labels\": \"from_data\"");
            return new LabelSpec(null, null, true, names, verbalize);
        }
        if (l == null) {
            throw t.error("labels", "missing: give the label list, \"from_data\", or set \"fields.options\"");
        }
        if (l.isJsonPrimitive() && "from_data".equals(l.getAsString())) {
            String split = fromSplit != null ? fromSplit : splits.contains("train") ? "train" : splits.iterator().next();
            if (!splits.contains(split)) {
                throw t.error("labels_from_split", "no split \"" + split + "\" (splits: " + String.join(", ", splits) + ")");
            }
            return new LabelSpec(null, split, false, names, verbalize);
        }
        if (fromSplit != null) throw t.error("labels_from_split", "only applies to \"labels\": \"from_data\"");
        List<String> fixed = t.stringList("labels");
        if (fixed.size() < 2) throw t.error("labels", "a classification task needs at least 2 labels");
        if (new java.util.HashSet<>(fixed).size() != fixed.size()) throw t.error("labels", "labels are not unique");
        for (String k : names.keySet()) {
            if (!fixed.contains(k)) throw t.error("label_names", "\"" + k + "\" is not one of \"labels\"");
        }
        return new LabelSpec(fixed, null, false, names, verbalize);
    }

    /** The words shown for a raw label. */
    public String verbal(String raw) {
        String v = names.get(raw);
        if (v != null) return v;
        v = raw;
        for (String t : verbalize) {
            v = switch (t) {
                case "underscores_to_spaces" -> v.replace('_', ' ');
                case "hyphens_to_spaces" -> v.replace('-', ' ');
                case "dots_to_spaces" -> v.replace('.', ' ');
                case "lowercase" -> v.toLowerCase(java.util.Locale.ROOT);
                default -> throw new IllegalStateException("unknown transform " + t);
            };
        }
        return v.strip();
    }
}
