package org.dialtune.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dialtune.task.Turn;

/**
 * Writes dialogue turns as {@code A: hi [EOT] B: hello}, keeping the latest turns when the budget is
 * exceeded: whole turns are dropped from the start; if even the last turn alone is too long, its
 * beginning is cut and marked with "...".
 */
public final class ContextLinearizer {
    public static final String TURN_SEPARATOR = " [EOT] ";
    static final String CUT = "... ";

    /** The text and whether anything was cut. */
    public record Result(String text, boolean truncated, int turnsDropped) {}

    private final FormatterConfig config;

    public ContextLinearizer(FormatterConfig config) {
        this.config = config;
    }

    public static String render(Turn t) {
        String text = Formatter.clean(t.text());
        return t.speaker() == null ? text : Formatter.clean(t.speaker()) + ": " + text;
    }

    public Result linearize(List<Turn> turns) {
        List<String> kept = new ArrayList<>();
        int used = 0;
        int budget = config.contextBudget();
        for (int i = turns.size() - 1; i >= 0; i--) {
            String t = render(turns.get(i));
            int cost = size(t) + (kept.isEmpty() ? 0 : size(TURN_SEPARATOR));
            if (used + cost > budget) {
                if (kept.isEmpty()) {
                    kept.add(tail(t, budget));
                    Collections.reverse(kept);
                    return new Result(String.join(TURN_SEPARATOR, kept), true, i);
                }
                Collections.reverse(kept);
                return new Result(String.join(TURN_SEPARATOR, kept), true, i + 1);
            }
            kept.add(t);
            used += cost;
        }
        Collections.reverse(kept);
        return new Result(String.join(TURN_SEPARATOR, kept), false, 0);
    }

    private int size(String s) {
        if (config.unit() == FormatterConfig.BudgetUnit.CHARS) return s.length();
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** The end of {@code s} that fits in {@code budget}, including the "..." mark. */
    private String tail(String s, int budget) {
        if (config.unit() == FormatterConfig.BudgetUnit.CHARS) {
            int keep = Math.max(0, budget - CUT.length());
            return CUT + s.substring(s.length() - Math.min(keep, s.length())).stripLeading();
        }
        String[] words = s.strip().split("\\s+");
        int keep = Math.max(0, budget - 1); // "..." counts as one word
        return CUT + String.join(" ", java.util.Arrays.copyOfRange(words, words.length - Math.min(keep, words.length), words.length));
    }
}
