package org.dialtune.eval.report;

import java.util.List;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.PairedComparison;

/**
 * What a factor did over the whole run.
 *
 * @param overall paired comparison over every matched pair; {@code null} when there is none
 * @param relativeMeanPercent mean over tasks of each task's relative gain (NaN without such tasks)
 * @param relativeInterval bootstrap CI of that mean over tasks; {@code null} with fewer than 2 tasks
 * @param relativeTasks tasks whose relative gain is defined (mean without ≠ 0)
 * @param withoutOnly groups of rows without the factor that found no partner with it
 * @param withOnly groups of rows with the factor that found no partner without it
 */
public record FactorGain(Factor factor, List<TaskGain> tasks, PairedComparison overall, double relativeMeanPercent,
                         Interval relativeInterval, int relativeTasks, int withoutOnly, int withOnly) {
    public FactorGain {
        tasks = List.copyOf(tasks);
    }

    public boolean hasPairs() {
        return overall != null;
    }
}
