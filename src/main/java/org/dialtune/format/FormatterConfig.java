package org.dialtune.format;

/**
 * Layout settings: the context budget (in characters, or in whitespace-separated words) beyond which
 * the oldest turns are dropped.
 */
public record FormatterConfig(BudgetUnit unit, int contextBudget) {
    /** About 400 BART tokens of context: leaves room for instruction, options and grounding text in 1024. */
    public static final int DEFAULT_CHARS = 1600;

    public enum BudgetUnit { CHARS, WORDS }

    public FormatterConfig {
        if (contextBudget < 1) throw new IllegalArgumentException("context budget must be at least 1");
    }

    public static FormatterConfig defaults() {
        return new FormatterConfig(BudgetUnit.CHARS, DEFAULT_CHARS);
    }
}
