package org.dialtune.eval.instructions;

import org.dialtune.eval.results.ResultRow;

/**
 * A task under one condition (model, stages, split, shots): wordings are only compared with the
 * other wordings of the same task evaluated the same way.
 */
public record TaskContext(String task, String metric, String model, String stages, String split, int shots) {
    static TaskContext of(ResultRow r) {
        return new TaskContext(r.task(), r.metric(), r.model(), r.stages(), r.split(), r.shots());
    }

    /** The task's name, plus the condition when {@code withCondition} (results hold several conditions). */
    public String label(boolean withCondition) {
        return withCondition ? task + " (" + model + " · " + stages + " · " + split + " · " + shots + "-shot)" : task;
    }
}
