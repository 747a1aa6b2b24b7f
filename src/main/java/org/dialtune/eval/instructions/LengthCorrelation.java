package org.dialtune.eval.instructions;

import java.util.List;
import org.dialtune.eval.stats.Interval;

/**
 * Spearman rank correlation between wording length (words) and mean score, within each task, then
 * averaged over tasks with a Student-t interval over tasks ({@code null} below two tasks).
 *
 * @param tasksSkipped tasks with fewer than 3 wordings, or all wordings of one length or one score,
 *     where a rank correlation is undefined
 */
public record LengthCorrelation(List<PerTask> tasks, double mean, Interval interval, int tasksSkipped) {
    public LengthCorrelation {
        tasks = List.copyOf(tasks);
    }

    public record PerTask(TaskContext context, int wordings, double rho) {}
}
