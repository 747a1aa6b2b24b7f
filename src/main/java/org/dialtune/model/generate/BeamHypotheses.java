package org.dialtune.model.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The finished hypotheses of one input during beam search, with Hugging Face's bookkeeping
 * ({@code BeamHypotheses} in {@code generation/beam_search.py}): at most {@code numBeams} kept, score
 * {@code sumLogprobs / length^lengthPenalty} where length counts the decoder start token and not the
 * EOS, the worst one evicted first, ties broken by insertion order like Python's sort.
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

    void add(long[] tokens, double sumLogprobs, StopReason stop) {
        double score = sumLogprobs / Math.pow(tokens.length, lengthPenalty);
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

    /** Whether no open beam can still produce a better hypothesis than the ones kept. */
    boolean isDone(double bestSumLogprobs, int curLen) {
        if (beams.size() < numBeams) return false;
        return switch (earlyStopping) {
            case TRUE -> true;
            case FALSE -> worstScore >= bestSumLogprobs / Math.pow(curLen, lengthPenalty);
            case NEVER -> worstScore >= bestSumLogprobs
                    / Math.pow(lengthPenalty > 0 ? maxLength : curLen, lengthPenalty);
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
