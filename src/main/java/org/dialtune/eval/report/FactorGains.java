package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.PairedComparison;
import org.dialtune.eval.stats.StatsConfig;
import org.dialtune.eval.stats.StudentT;

/**
 * Measures each factor's gain from matched pairs of rows (see {@link Factor} for what is matched),
 * tested across independent units (see {@link IndependentUnits}), never across rows. Rows on the same
 * side of one match key (several instruction wordings of one cell) are averaged first, so every pair is
 * one (condition, seed, task) comparison; then the pairs of one unit are averaged, so every unit counts
 * once: per task, per metric (accuracy and Rouge-L are never averaged together), and for the relative
 * gain, which is unitless and so averaged over all tasks as the reference study reports it.
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

    public static List<FactorGain> of(List<ResultRow> rows, StatsConfig config) {
        List<FactorGain> out = new ArrayList<>();
        for (Factor f : factorsFor(rows)) out.add(of(rows, f, config));
        return out;
    }

    /** One matched pair: the mean of each side's rows, and every seeded draw either side depends on. */
    record Pair(Factor.MatchKey key, double without, double with, Set<String> draws) {
        double difference() {
            return with - without;
        }
    }

    private record TaskKey(String task, String metric) {}

    public static FactorGain of(List<ResultRow> rows, Factor factor, StatsConfig config) {
        // match key → side → rows; ordered so that results do not depend on hashing
        Map<Factor.MatchKey, EnumMap<Factor.Side, List<ResultRow>>> groups = new TreeMap<>(
                Comparator.comparing(Factor.MatchKey::toString));
        for (ResultRow r : rows) {
            Factor.Side side = factor.side().apply(r);
            if (side == null) continue;
            groups.computeIfAbsent(factor.key().apply(r), k -> new EnumMap<>(Factor.Side.class))
                    .computeIfAbsent(side, s -> new ArrayList<>()).add(r);
        }
        List<Pair> pairs = new ArrayList<>();
        int withoutOnly = 0;
        int withOnly = 0;
        for (Map.Entry<Factor.MatchKey, EnumMap<Factor.Side, List<ResultRow>>> e : groups.entrySet()) {
            List<ResultRow> without = e.getValue().get(Factor.Side.WITHOUT);
            List<ResultRow> with = e.getValue().get(Factor.Side.WITH);
            if (without == null) {
                withOnly++;
            } else if (with == null) {
                withoutOnly++;
            } else {
                pairs.add(new Pair(e.getKey(), meanValue(without), meanValue(with), seededDraws(without, with)));
            }
        }
        if (pairs.isEmpty()) return FactorGain.withoutPairs(factor, withoutOnly, withOnly);
        pairs = placeUntrained(pairs);
        List<List<Pair>> units = IndependentUnits.group(pairs,
                IndependentUnits.assign(pairs.stream().map(Pair::draws).toList()));

        Map<TaskKey, List<Pair>> byTask = new TreeMap<>(Comparator.comparing(TaskKey::task).thenComparing(TaskKey::metric));
        for (Pair p : pairs) byTask.computeIfAbsent(new TaskKey(p.key().task(), p.key().metric()), k -> new ArrayList<>()).add(p);
        List<TaskGain> tasks = new ArrayList<>();
        for (Map.Entry<TaskKey, List<Pair>> e : byTask.entrySet()) {
            TaskKey t = e.getKey();
            PairedComparison c = compareUnits(units, p -> p.key().task().equals(t.task()) && p.key().metric().equals(t.metric()), config);
            tasks.add(new TaskGain(t.task(), t.metric(), c, TaskGain.relativePercent(c.meanA(), c.meanB()), e.getValue().size()));
        }
        List<MetricGain> metrics = new ArrayList<>();
        for (String metric : new TreeSet<>(pairs.stream().map(p -> p.key().metric()).toList())) {
            Predicate<Pair> of = p -> p.key().metric().equals(metric);
            metrics.add(new MetricGain(metric, compareUnits(units, of, config),
                    (int) tasks.stream().filter(t -> t.metric().equals(metric)).count(), (int) pairs.stream().filter(of).count()));
        }
        double[] relative = units.stream().mapToDouble(FactorGains::relativePercent).filter(Double::isFinite).toArray();
        Interval relativeCi = relative.length == 0 ? null : StudentT.meanInterval(relative, config.level());
        return new FactorGain(factor, tasks, metrics, pairs.size(), units.size(),
                relative.length == 0 ? Double.NaN : mean(relative), relativeCi, relative.length,
                (int) tasks.stream().filter(t -> Double.isFinite(t.relativePercent())).count(), withoutOnly, withOnly);
    }

    /** The seeded draws either side of a pair depends on. */
    private static Set<String> seededDraws(List<ResultRow> without, List<ResultRow> with) {
        Set<String> draws = new LinkedHashSet<>();
        for (ResultRow r : without) draws.addAll(IndependentUnits.drawsOf(r));
        for (ResultRow r : with) draws.addAll(IndependentUnits.drawsOf(r));
        return draws;
    }

    /**
     * A pair that depends on no seeded draw (untrained and zero-shot on both sides) is the same number in
     * every seed. Each seed's copy joins the trained pairs of the same task, split and seed, where there
     * are any, and shifts that seed's unit like every other seed's; without any, its copies are one unit,
     * so that copies never pass for independent seeds.
     */
    private static List<Pair> placeUntrained(List<Pair> pairs) {
        Map<String, Set<String>> trained = new java.util.HashMap<>();
        for (Pair p : pairs) {
            if (!p.draws().isEmpty()) trained.computeIfAbsent(taskAndSeed(p.key()), k -> new LinkedHashSet<>()).addAll(p.draws());
        }
        List<Pair> out = new ArrayList<>();
        for (Pair p : pairs) {
            if (!p.draws().isEmpty()) {
                out.add(p);
                continue;
            }
            Factor.MatchKey k = p.key();
            Set<String> draws = trained.getOrDefault(taskAndSeed(k), Set.of(String.join("|", "untrained", k.model(),
                    k.split(), k.stages(), k.shots(), k.instructions(), k.task(), k.metric())));
            out.add(new Pair(k, p.without(), p.with(), draws));
        }
        return out;
    }

    private static String taskAndSeed(Factor.MatchKey k) {
        return String.join("|", k.split(), k.task(), k.metric(), Long.toString(k.seed()));
    }

    /** Paired comparison over the units that hold pairs selected by {@code which}, each unit's pairs averaged. */
    private static PairedComparison compareUnits(List<List<Pair>> units, Predicate<Pair> which, StatsConfig config) {
        List<double[]> perUnit = new ArrayList<>();
        for (List<Pair> unit : units) {
            List<Pair> selected = unit.stream().filter(which).toList();
            if (selected.isEmpty()) continue;
            perUnit.add(new double[] {selected.stream().mapToDouble(Pair::without).average().orElseThrow(),
                    selected.stream().mapToDouble(Pair::with).average().orElseThrow()});
        }
        double[] a = perUnit.stream().mapToDouble(x -> x[0]).toArray();
        double[] b = perUnit.stream().mapToDouble(x -> x[1]).toArray();
        return PairedComparison.of(a, b, config);
    }

    /** A unit's relative gain: the mean over its tasks of 100 × (with − without) / without (NaN if none is defined). */
    private static double relativePercent(List<Pair> unit) {
        Map<TaskKey, List<Pair>> byTask = new TreeMap<>(Comparator.comparing(TaskKey::task).thenComparing(TaskKey::metric));
        for (Pair p : unit) byTask.computeIfAbsent(new TaskKey(p.key().task(), p.key().metric()), k -> new ArrayList<>()).add(p);
        double[] rel = byTask.values().stream()
                .mapToDouble(ps -> TaskGain.relativePercent(ps.stream().mapToDouble(Pair::without).average().orElseThrow(),
                        ps.stream().mapToDouble(Pair::with).average().orElseThrow()))
                .filter(Double::isFinite).toArray();
        return rel.length == 0 ? Double.NaN : mean(rel);
    }

    private static double meanValue(List<ResultRow> rows) {
        return rows.stream().mapToDouble(ResultRow::value).average().orElseThrow();
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.length;
    }
}
