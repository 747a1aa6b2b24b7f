package org.dialtune.task;

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
