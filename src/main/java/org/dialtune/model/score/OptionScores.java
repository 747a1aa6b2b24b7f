package org.dialtune.model.score;

/**
 * Log-likelihood of each candidate answer of one source. {@code total[i]} is the sum of the
 * log-probabilities of option i's tokens (BOS and EOS included, like training labels);
 * {@code normalized[i] = total[i] / tokens[i]}.
 */
public record OptionScores(double[] total, double[] normalized, int[] tokens) {
    /** Index of the highest total log-likelihood (T0 rank classification); the first one on ties. */
    public int best() {
        return argMax(total);
    }

    /** Index of the highest per-token log-likelihood (favours no option for being short); first on ties. */
    public int bestNormalized() {
        return argMax(normalized);
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
