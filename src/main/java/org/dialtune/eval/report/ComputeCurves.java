package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dialtune.eval.results.ResultRow;

/**
 * Score against training FLOPs per method, from the rows of a grid with a {@code methods} factor (rows
 * with a method and known FLOPs): one {@link ComputePoint} per task, condition, method and budget. A seed
 * with several rows (instruction wordings) counts once, with their mean, as in {@link ConditionScores}.
 */
public final class ComputeCurves {
    private ComputeCurves() {}

    private record Key(String task, String metric, boolean seen, String split, String series, Condition condition,
                       double budget) {}

    public static List<ComputePoint> of(List<ResultRow> rows) {
        List<ResultRow> withMethod = rows.stream().filter(r -> !r.method().isEmpty() && r.hasFlops()).toList();
        boolean severalModels = withMethod.stream().map(ResultRow::model).distinct().count() > 1;
        boolean severalSettings = withMethod.stream().map(r -> r.stages() + "|" + r.shots() + "|" + r.instructions())
                .distinct().count() > 1;
        Map<Key, Map<Long, List<ResultRow>>> bySeed = new LinkedHashMap<>();
        for (ResultRow r : withMethod) {
            // a curve per method, told apart by model and setting only where a run has several
            String series = (severalModels ? r.model() + " · " : "") + r.method()
                    + (severalSettings ? " · " + r.stages() + " · " + r.shots() + "-shot · instr " + r.instructions() : "");
            bySeed.computeIfAbsent(new Key(r.task(), r.metric(), r.seen(), r.split(), series, Condition.of(r), r.budgetFlops()),
                    k -> new TreeMap<>()).computeIfAbsent(r.seed(), s -> new ArrayList<>()).add(r);
        }
        List<ComputePoint> out = new ArrayList<>();
        for (Map.Entry<Key, Map<Long, List<ResultRow>>> e : bySeed.entrySet()) {
            double score = 0;
            double flops = 0;
            for (List<ResultRow> seed : e.getValue().values()) {
                score += seed.stream().mapToDouble(ResultRow::value).average().orElseThrow();
                flops += seed.stream().mapToDouble(ResultRow::flops).average().orElseThrow();
            }
            int n = e.getValue().size();
            Key k = e.getKey();
            ResultRow any = e.getValue().values().iterator().next().get(0);
            out.add(new ComputePoint(k.task(), k.metric(), k.seen(), k.split(), k.series(), k.budget(), flops / n, score / n, n,
                    any.trainableParams()));
        }
        out.sort(Comparator.comparing(ComputePoint::split).thenComparing(ComputePoint::task).thenComparing(ComputePoint::metric)
                .thenComparing(ComputePoint::seen).thenComparing(ComputePoint::series).thenComparingDouble(ComputePoint::flops));
        return out;
    }
}
