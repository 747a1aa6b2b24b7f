package org.dialtune.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluation throughput per way of scoring (rank scoring of options, generation), summed over the
 * evaluations of a run or an experiment, for its log: what an experiment spends its evaluation time on.
 */
public final class EvaluationSpeed {
    /** Per way of scoring: tasks evaluated, examples, seconds. */
    private final Map<String, double[]> totals = new TreeMap<>();

    public void add(TaskEvaluator.Evaluation e) {
        double[] t = totals.computeIfAbsent(TaskEvaluator.scoringOf(e), k -> new double[3]);
        t[0]++;
        t[1] += e.predictions().size();
        t[2] += e.seconds();
    }

    public boolean isEmpty() {
        return totals.isEmpty();
    }

    /** {@code generation: 1 evaluation, 100 examples, 2.1 examples/s; rank scoring: 3 evaluations, 300 examples, 25.0 examples/s}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        totals.forEach((k, t) -> parts.add(String.format(Locale.ROOT, "%s: %d evaluation%s, %d examples, %.1f examples/s",
                k, (int) t[0], t[0] == 1 ? "" : "s", (int) t[1], t[1] / t[2])));
        return String.join("; ", parts);
    }
}
