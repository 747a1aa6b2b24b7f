package org.dialtune.format;

import java.util.Arrays;

/** A length limit in characters or words, and the two ways of cutting a text to it. */
public record TextBudget(FormatterConfig.BudgetUnit unit, int max) {
    /** Marks where text was cut; counts towards the budget (as 4 characters or 1 word). */
    public static final String MARK = "...";

    public int size(String s) {
        if (unit == FormatterConfig.BudgetUnit.CHARS) return s.length();
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    public boolean fits(String s) {
        return size(s) <= max;
    }

    /** The end of {@code s} within the budget, "... " in front (for the latest dialogue turn). */
    public String keepEnd(String s) {
        if (fits(s)) return s;
        if (unit == FormatterConfig.BudgetUnit.CHARS) {
            int keep = Math.max(0, max - MARK.length() - 1);
            return MARK + " " + s.substring(s.length() - keep).stripLeading();
        }
        String[] w = s.strip().split("\\s+");
        return MARK + " " + String.join(" ", Arrays.copyOfRange(w, w.length - Math.max(0, max - 1), w.length));
    }

    /** The start of {@code s} within the budget, " ..." at the end (for grounding texts). */
    public String keepStart(String s) {
        if (fits(s)) return s;
        if (unit == FormatterConfig.BudgetUnit.CHARS) {
            int keep = Math.max(0, max - MARK.length() - 1);
            return s.substring(0, keep).stripTrailing() + " " + MARK;
        }
        String[] w = s.strip().split("\\s+");
        return String.join(" ", Arrays.copyOfRange(w, 0, Math.max(0, max - 1))) + " " + MARK;
    }
}
