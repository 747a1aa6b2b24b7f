package org.dialtune.eval.instructions;

import java.util.List;

/**
 * The wordings of one task under one condition, best first, and the spread between the best and
 * the worst mean: how much the choice of wording alone moves the score.
 */
public record TaskRanking(TaskContext context, List<WordingScore> wordings) {
    public TaskRanking {
        wordings = List.copyOf(wordings);
    }

    public double spread() {
        return wordings.get(0).seeds().mean() - wordings.get(wordings.size() - 1).seeds().mean();
    }

    /** Mean over this task's wordings: the reference point for each wording's deviation. */
    public double meanOfWordings() {
        double s = 0;
        for (WordingScore w : wordings) s += w.seeds().mean();
        return s / wordings.size();
    }
}
