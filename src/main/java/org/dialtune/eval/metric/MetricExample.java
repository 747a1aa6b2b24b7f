package org.dialtune.eval.metric;

import java.util.List;

/**
 * One scored item: what the model produced and what it should have produced.
 *
 * <p>{@code references} holds one or more acceptable answers (Rouge-L keeps the best). For
 * classification, {@code options} lists the label set in the same surface form as the references
 * (empty when unknown). Rank classification also gives {@code chosenIndex} (the option the scorer
 * picked) and {@code goldIndex}; both are {@link #NO_INDEX} for generated predictions.
 * {@code normalizedIndex} is the option a length-normalised ranking (log-likelihood per token) picked,
 * when the scorer reports it beside the summed one; else {@link #NO_INDEX}.
 */
public record MetricExample(
        String id, String prediction, List<String> references, List<String> options, int chosenIndex, int goldIndex,
        int normalizedIndex) {
    public static final int NO_INDEX = -1;

    public MetricExample {
        references = List.copyOf(references);
        options = List.copyOf(options);
        if (references.isEmpty()) throw new IllegalArgumentException("example " + id + ": no reference");
    }

    /** A generated prediction against one or more references, options optional. */
    public static MetricExample generated(String id, String prediction, List<String> references, List<String> options) {
        return new MetricExample(id, prediction, references, options, NO_INDEX, NO_INDEX, NO_INDEX);
    }

    public static MetricExample generated(String id, String prediction, String reference) {
        return generated(id, prediction, List.of(reference), List.of());
    }

    /** A rank-classification decision: the option the scorer chose and the gold option, as indices. */
    public static MetricExample ranked(String id, List<String> options, int chosenIndex, int goldIndex) {
        checkIndex(id, "chosen", chosenIndex, options.size());
        checkIndex(id, "gold", goldIndex, options.size());
        return new MetricExample(id, options.get(chosenIndex), List.of(options.get(goldIndex)), options,
                chosenIndex, goldIndex, NO_INDEX);
    }

    /** This rank decision with the option the length-normalised ranking picked as well. */
    public MetricExample withNormalizedChoice(int index) {
        if (!isRanked()) throw new IllegalArgumentException("example " + id + ": only rank decisions have a normalised choice");
        checkIndex(id, "normalised choice", index, options.size());
        return new MetricExample(id, prediction, references, options, chosenIndex, goldIndex, index);
    }

    private static void checkIndex(String id, String what, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("example " + id + ": " + what + " index " + index
                    + " is not an option index (0.." + (size - 1) + ")");
        }
    }

    public boolean isRanked() {
        return chosenIndex != NO_INDEX;
    }
}
