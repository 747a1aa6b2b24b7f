package org.dialtune.format;

/**
 * How many tokens (special tokens included) a source may have, counted with the model's tokenizer;
 * {@link #unlimited()} leaves sources as formatted.
 */
public record SourceBudget(TokenCounter counter, int maxTokens) {
    public SourceBudget {
        if (counter != null && maxTokens < counter.specialTokenCount() + 1) {
            throw new IllegalArgumentException("a source budget of " + maxTokens + " tokens leaves no room for text");
        }
    }

    public static SourceBudget unlimited() {
        return new SourceBudget(null, Integer.MAX_VALUE);
    }

    /** A budget of {@code maxSourceTokens}, capped by the model's positions. */
    public static SourceBudget of(TokenCounter counter, int maxSourceTokens, int maxPositions) {
        return new SourceBudget(counter, Math.min(maxSourceTokens, maxPositions));
    }

    public boolean limited() {
        return counter != null;
    }
}
