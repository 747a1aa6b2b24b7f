package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.Descriptive;
import org.dialtune.eval.stats.StatsConfig;
import org.dialtune.eval.stats.StudentT;

/**
 * Summarises rows into one {@link ConditionScore} per (condition, task, metric). A seed with several
 * rows (one per instruction wording) contributes the mean of its rows, so every seed counts once. The
 * seeds of one condition are independent runs (each trains its own models and draws its own few-shot
 * sample), so the interval is Student's t over seeds.
 */
public final class ConditionScores {
    private ConditionScores() {}

    private record Cell(Condition condition, String task, String metric) {}

    public static List<ConditionScore> of(List<ResultRow> rows, StatsConfig config) {
        Map<Cell, Map<Long, List<Double>>> bySeed = new java.util.HashMap<>();
        for (ResultRow r : rows) {
            bySeed.computeIfAbsent(new Cell(Condition.of(r), r.task(), r.metric()), c -> new TreeMap<>())
                    .computeIfAbsent(r.seed(), s -> new ArrayList<>()).add(r.value());
        }
        List<ConditionScore> out = new ArrayList<>();
        for (Map.Entry<Cell, Map<Long, List<Double>>> e : bySeed.entrySet()) {
            double[] perSeed = e.getValue().values().stream().mapToDouble(ConditionScores::mean).toArray();
            Cell c = e.getKey();
            out.add(new ConditionScore(c.condition(), c.task(), c.metric(), Descriptive.of(perSeed),
                    StudentT.meanInterval(perSeed, config.level())));
        }
        out.sort(Comparator.comparing((ConditionScore s) -> s.condition().split()).thenComparing(ConditionScore::task)
                .thenComparing(ConditionScore::metric).thenComparing(ConditionScore::condition, Condition.ORDER));
        return out;
    }

    static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.size();
    }
}
