package org.dialtune.format;

/**
 * Layout settings. Budgets are in characters or in whitespace-separated words: the dialogue context
 * keeps its latest turns within {@code contextBudget}; each grounding text (knowledge, persona,
 * document) keeps its beginning within {@code groundingBudget}. These bound how much history and
 * grounding a source shows; what bounds its length in tokens is {@link SourceFitter}.
 */
public record FormatterConfig(BudgetUnit unit, int contextBudget, int groundingBudget) {
    /** About 400 BART tokens of dialogue context. */
    public static final int DEFAULT_CONTEXT_CHARS = 1600;
    /** About 450 BART tokens per grounding text. */
    public static final int DEFAULT_GROUNDING_CHARS = 2000;

    public enum BudgetUnit { CHARS, WORDS }

    public FormatterConfig {
        if (contextBudget < 1 || groundingBudget < 1) throw new IllegalArgumentException("budgets must be at least 1");
    }

    public static FormatterConfig defaults() {
        return new FormatterConfig(BudgetUnit.CHARS, DEFAULT_CONTEXT_CHARS, DEFAULT_GROUNDING_CHARS);
    }

    public TextBudget context() {
        return new TextBudget(unit, contextBudget);
    }

    public TextBudget grounding() {
        return new TextBudget(unit, groundingBudget);
    }
}
