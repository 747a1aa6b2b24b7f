package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.Bootstrap;
import org.dialtune.eval.stats.BootstrapConfig;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.PairedComparison;

/**
 * Measures each factor's gain from matched pairs of rows (see {@link Factor} for what is matched).
 * Rows on the same side of one match key (several instruction wordings of one cell) are averaged
 * first, so every pair is one (condition, seed, task) comparison.
 */
public final class FactorGains {
    private FactorGains() {}

    /**
     * The factors of a run: in-domain MTL, general MTL, instructions, and each shot count k > 0 seen (vs 0),
     * or "k vs 0" when no row has shots, so the report says that comparison is missing.
     */
    public static List<Factor> factorsFor(List<ResultRow> rows) {
        List<Factor> factors = new ArrayList<>(List.of(Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"),
                Factor.stage(StageKind.GENERAL, "General MTL"), Factor.instructions()));
        TreeSet<Integer> shots = new TreeSet<>();
        for (ResultRow r : rows) if (r.shots() > 0) shots.add(r.shots());
        for (int k : shots) factors.add(Factor.shots(k));
        if (shots.isEmpty()) factors.add(Factor.anyShots());
        return factors;
    }

    public static List<FactorGain> of(List<ResultRow> rows, BootstrapConfig config) {
        List<FactorGain> out = new ArrayList<>();
        for (Factor f : factorsFor(rows)) out.add(of(rows, f, config));
        return out;
    }

    private record TaskKey(String task, String metric) {}

    public static FactorGain of(List<ResultRow> rows, Factor factor, BootstrapConfig config) {
        // match key → side → values; ordered so that results do not depend on hashing
        Map<Factor.MatchKey, EnumMap<Factor.Side, List<Double>>> groups = new TreeMap<>(
                java.util.Comparator.comparing(Factor.MatchKey::toString));
        for (ResultRow r : rows) {
            Factor.Side side = factor.side().apply(r);
            if (side == null) continue;
            groups.computeIfAbsent(factor.key().apply(r), k -> new EnumMap<>(Factor.Side.class))
                    .computeIfAbsent(side, s -> new ArrayList<>()).add(r.value());
        }
        Map<TaskKey, List<double[]>> pairsByTask = new TreeMap<>(
                java.util.Comparator.comparing(TaskKey::task).thenComparing(TaskKey::metric));
        int withoutOnly = 0;
        int withOnly = 0;
        for (Map.Entry<Factor.MatchKey, EnumMap<Factor.Side, List<Double>>> e : groups.entrySet()) {
            List<Double> without = e.getValue().get(Factor.Side.WITHOUT);
            List<Double> with = e.getValue().get(Factor.Side.WITH);
            if (without == null) {
                withOnly++;
            } else if (with == null) {
                withoutOnly++;
            } else {
                pairsByTask.computeIfAbsent(new TaskKey(e.getKey().task(), e.getKey().metric()), k -> new ArrayList<>())
                        .add(new double[] {ConditionScores.mean(without), ConditionScores.mean(with)});
            }
        }
        if (pairsByTask.isEmpty()) {
            return new FactorGain(factor, List.of(), null, Double.NaN, null, 0, withoutOnly, withOnly);
        }
        List<TaskGain> tasks = new ArrayList<>();
        List<double[]> all = new ArrayList<>();
        List<Double> relatives = new ArrayList<>();
        for (Map.Entry<TaskKey, List<double[]>> e : pairsByTask.entrySet()) {
            PairedComparison c = compare(e.getValue(), config);
            double rel = TaskGain.relativePercent(c.meanA(), c.meanB());
            tasks.add(new TaskGain(e.getKey().task(), e.getKey().metric(), c, rel));
            if (!Double.isNaN(rel)) relatives.add(rel);
            all.addAll(e.getValue());
        }
        double[] rel = relatives.stream().mapToDouble(Double::doubleValue).toArray();
        double relMean = rel.length == 0 ? Double.NaN : ConditionScores.mean(relatives);
        Interval relCi = rel.length > 1 ? Bootstrap.meanInterval(rel, config) : null;
        return new FactorGain(factor, tasks, compare(all, config), relMean, relCi, rel.length, withoutOnly, withOnly);
    }

    private static PairedComparison compare(List<double[]> pairs, BootstrapConfig config) {
        double[] a = new double[pairs.size()];
        double[] b = new double[pairs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = pairs.get(i)[0];
            b[i] = pairs.get(i)[1];
        }
        return PairedComparison.of(a, b, config);
    }
}
