package org.dialtune.model.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The finished hypotheses of one input during beam search, with Hugging Face's bookkeeping
 * (transformers 5's {@code _update_finished_beams}): at most {@code numBeams} kept, score
 * {@code sumLogprobs / length^lengthPenalty} where length counts the generated tokens including the
 * last one (the EOS, or the token that reached the length cap), the worst one evicted first, ties
 * broken by insertion order like Python's sort.
 */
final class BeamHypotheses {
    record Hypothesis(long[] tokens, double score, StopReason stop) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final GenerationConfig.EarlyStopping earlyStopping;
    private final int maxLength;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, GenerationConfig.EarlyStopping earlyStopping, int maxLength) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.maxLength = maxLength;
    }

    int size() {
        return beams.size();
    }

    /** A finished hypothesis of {@code generatedLength} generated tokens (its EOS included). */
    void add(long[] tokens, double sumLogprobs, StopReason stop, int generatedLength) {
        double score = sumLogprobs / Math.pow(generatedLength, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(tokens, score, stop));
            if (beams.size() > numBeams) {
                beams.remove(indexOfWorst());
                worstScore = beams.get(indexOfWorst()).score();
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /**
     * Whether no open beam can still produce a better hypothesis than the ones kept, given the best
     * open beam's sum of log-probabilities after {@code generated} generated tokens (transformers 5's
     * {@code _check_early_stop_heuristic}).
     */
    boolean isDone(double bestRunningSumLogprobs, int generated) {
        if (beams.size() < numBeams) return false;
        return switch (earlyStopping) {
            case TRUE -> true;
            case FALSE -> worstScore >= bestRunningSumLogprobs / Math.pow(generated, lengthPenalty);
            case NEVER -> worstScore >= bestRunningSumLogprobs
                    / Math.pow(lengthPenalty > 0 ? maxLength - 1 : generated, lengthPenalty);
        };
    }

    /** The highest score; among equal scores the one added last (Python's stable sort, last element). */
    Hypothesis best() {
        Hypothesis best = null;
        for (Hypothesis h : beams) {
            if (best == null || h.score() >= best.score()) best = h;
        }
        return best;
    }

    /** Lowest score, earliest on ties (Python sorts (score, index) pairs). */
    private int indexOfWorst() {
        int worst = -1;
        for (int i = 0; i < beams.size(); i++) {
            if (worst < 0 || beams.get(i).score() < beams.get(worst).score()) worst = i;
        }
        return worst;
    }
}
