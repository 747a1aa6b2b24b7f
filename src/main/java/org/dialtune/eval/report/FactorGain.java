package org.dialtune.eval.report;

import java.util.List;
import org.dialtune.eval.stats.Interval;

/**
 * What a factor did over the whole run, tested across independent units (see {@link IndependentUnits}).
 *
 * @param tasks the gain per task, across the units that scored it
 * @param metrics the gain per metric (accuracy and Rouge-L kept apart), across units; empty without pairs
 * @param pairs matched pairs of rows
 * @param units independent units the pairs fall into
 * @param relativeMeanPercent mean over units of each unit's relative gain, itself the mean over the unit's
 *     tasks of 100 × (with − without) / without (NaN when no task has a defined relative gain)
 * @param relativeInterval Student-t interval of that mean over units; {@code null} with fewer than 2 units
 * @param relativeUnits units whose relative gain is defined
 * @param relativeTasks tasks whose relative gain is defined (mean without ≠ 0)
 * @param withoutOnly groups of rows without the factor that found no partner with it
 * @param withOnly groups of rows with the factor that found no partner without it
 */
public record FactorGain(Factor factor, List<TaskGain> tasks, List<MetricGain> metrics, int pairs, int units,
                         double relativeMeanPercent, Interval relativeInterval, int relativeUnits, int relativeTasks,
                         int withoutOnly, int withOnly) {
    public FactorGain {
        tasks = List.copyOf(tasks);
        metrics = List.copyOf(metrics);
    }

    static FactorGain withoutPairs(Factor factor, int withoutOnly, int withOnly) {
        return new FactorGain(factor, List.of(), List.of(), 0, 0, Double.NaN, null, 0, 0, withoutOnly, withOnly);
    }

    public boolean hasPairs() {
        return pairs > 0;
    }
}
