package org.dialtune.eval.instructions;

import java.util.List;
import org.dialtune.eval.stats.Interval;

/**
 * A wording feature's effect: within each task that has wordings with and without it, the mean
 * score of those with minus those without; then the mean of that difference over tasks with a
 * Student-t interval over tasks ({@code null} below two tasks).
 *
 * @param tasksWithoutContrast tasks whose wordings all have, or all lack, the feature
 */
public record FeatureEffect(String feature, List<PerTask> tasks, double mean, Interval interval, int tasksWithoutContrast) {
    public FeatureEffect {
        tasks = List.copyOf(tasks);
    }

    public record PerTask(TaskContext context, int withFeature, int withoutFeature, double difference) {}
}
