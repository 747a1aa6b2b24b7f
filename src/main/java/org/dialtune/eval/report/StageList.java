package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code stages} column of a result row as a list of stage names. Stages may be separated by
 * {@code +}, {@code ,}, {@code ;}, {@code >}, {@code ->}, {@code →} or spaces; an empty value or
 * {@code none} means the starting model without any training ({@code none} in a list names no stage).
 */
public record StageList(List<String> names) {
    private static final Pattern SEPARATORS = Pattern.compile("\\s*(->|→|[+,;>]|\\s)\\s*");
    public static final String NONE = "none";

    public StageList {
        names = List.copyOf(names);
    }

    public static StageList parse(String stages) {
        String s = stages.strip();
        if (s.isEmpty() || s.equalsIgnoreCase(NONE)) return new StageList(List.of());
        List<String> out = new ArrayList<>();
        // "none+few-shot" is the few-shot stage alone: "none" names no stage wherever it stands
        for (String part : SEPARATORS.split(s)) if (!part.isEmpty() && !part.equalsIgnoreCase(NONE)) out.add(part);
        return new StageList(out);
    }

    public boolean contains(StageKind kind) {
        return names.stream().anyMatch(kind::matches);
    }

    /** The same list without the stages of {@code kind}. */
    public StageList without(StageKind kind) {
        return new StageList(names.stream().filter(n -> !kind.matches(n)).toList());
    }

    /** A canonical spelling, so that {@code "a + b"} and {@code "a,b"} match. */
    public String key() {
        return names.isEmpty() ? NONE : String.join("+", names);
    }
}
