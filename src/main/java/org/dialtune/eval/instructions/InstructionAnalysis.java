package org.dialtune.eval.instructions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.dialtune.common.UserError;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.StatsConfig;
import org.dialtune.eval.stats.Descriptive;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.StudentT;

/**
 * Which instruction wordings work best, and which simple properties of a wording go with better
 * scores. Input: result rows where each wording was scored on its own ({@code instruction_id} = a
 * wording id; rows with {@code none} or {@code sampled} are counted and left out), one row per
 * (task, wording, seed), and the wordings' texts. Intervals are Student-t intervals of a mean: over
 * seeds for a wording's score (each seed scores its own sample of the split), over tasks for feature
 * effects and length correlations (each task is evaluated on its own examples).
 */
public final class InstructionAnalysis {
    /** Instruction ids that do not name one wording. */
    public static final Set<String> NOT_A_WORDING = Set.of("none", "sampled");
    private static final int MIN_WORDINGS_FOR_CORRELATION = 3;

    private InstructionAnalysis() {}

    /**
     * @param rankings per task (and condition), wordings best first
     * @param ignoredRows rows that named no single wording
     */
    public record Result(List<TaskRanking> rankings, List<FeatureEffect> effects, LengthCorrelation length,
                         int ignoredRows, StatsConfig config) {
        /** Whether tasks appear under more than one condition, so labels must name the condition. */
        public boolean severalConditions() {
            return rankings.stream().map(r -> r.context().task() + "\u0000" + r.context().metric()).distinct().count()
                    < rankings.size();
        }
    }

    /** The rows that scored one wording each. */
    public static List<ResultRow> wordingRows(List<ResultRow> rows) {
        return rows.stream().filter(r -> !NOT_A_WORDING.contains(r.instructionId())).toList();
    }

    /** {@link #analyze(List, List, StatsConfig)} with 95% intervals. */
    public static Result analyze(List<ResultRow> rows, List<Wording> wordings) {
        return analyze(rows, wordings, StatsConfig.DEFAULT);
    }

    public static Result analyze(List<ResultRow> rows, List<Wording> wordings, StatsConfig config) {
        List<ResultRow> scored = wordingRows(rows);
        if (scored.isEmpty()) {
            throw new UserError("no result row scored a single instruction wording (every instruction_id is one of "
                    + String.join(", ", new java.util.TreeSet<>(NOT_A_WORDING)) + "); score each wording separately first");
        }
        Map<String, Wording> byKey = new HashMap<>();
        for (Wording w : wordings) byKey.put(w.task() + "\u0000" + w.id(), w);
        // context → wording id → seed → values (a repeated (wording, seed) is averaged)
        Map<TaskContext, Map<String, Map<Long, List<Double>>>> grouped = new TreeMap<>(Comparator.comparing(TaskContext::toString));
        for (ResultRow r : scored) {
            if (!byKey.containsKey(r.task() + "\u0000" + r.instructionId())) {
                throw new UserError("task \"" + r.task() + "\": results name instruction \"" + r.instructionId()
                        + "\", which its instruction file does not have (analyse with the instruction files that were evaluated)");
            }
            grouped.computeIfAbsent(TaskContext.of(r), c -> new TreeMap<>())
                    .computeIfAbsent(r.instructionId(), w -> new TreeMap<>())
                    .computeIfAbsent(r.seed(), s -> new ArrayList<>()).add(r.value());
        }
        List<TaskRanking> rankings = new ArrayList<>();
        for (Map.Entry<TaskContext, Map<String, Map<Long, List<Double>>>> c : grouped.entrySet()) {
            rankings.add(rank(c.getKey(), c.getValue(), byKey, config));
        }
        List<FeatureEffect> effects = new ArrayList<>();
        for (WordingFeatures.Binary f : WordingFeatures.BINARY) effects.add(effect(f, rankings, config));
        return new Result(rankings, effects, length(rankings, config), rows.size() - scored.size(), config);
    }

    private static TaskRanking rank(TaskContext context, Map<String, Map<Long, List<Double>>> byWording,
                                    Map<String, Wording> texts, StatsConfig config) {
        record Scored(Wording wording, Descriptive seeds, Interval interval) {}
        List<Scored> scored = new ArrayList<>();
        for (Map.Entry<String, Map<Long, List<Double>>> w : byWording.entrySet()) {
            double[] perSeed = w.getValue().values().stream().mapToDouble(InstructionAnalysis::mean).toArray();
            scored.add(new Scored(texts.get(context.task() + "\u0000" + w.getKey()), Descriptive.of(perSeed),
                    StudentT.meanInterval(perSeed, config.level())));
        }
        // best first; equal means keep the id order so the ranking is deterministic
        scored.sort(Comparator.comparingDouble((Scored s) -> -s.seeds().mean()).thenComparing(s -> s.wording().id()));
        List<WordingScore> out = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            out.add(new WordingScore(i + 1, s.wording(), WordingFeatures.of(s.wording().text()), s.seeds(), s.interval()));
        }
        return new TaskRanking(context, out);
    }

    private static FeatureEffect effect(WordingFeatures.Binary feature, List<TaskRanking> rankings, StatsConfig config) {
        List<FeatureEffect.PerTask> perTask = new ArrayList<>();
        int noContrast = 0;
        for (TaskRanking t : rankings) {
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (WordingScore w : t.wordings()) (feature.test().test(w.features()) ? with : without).add(w.seeds().mean());
            if (with.isEmpty() || without.isEmpty()) {
                noContrast++;
            } else {
                perTask.add(new FeatureEffect.PerTask(t.context(), with.size(), without.size(), mean(with) - mean(without)));
            }
        }
        double[] d = perTask.stream().mapToDouble(FeatureEffect.PerTask::difference).toArray();
        return new FeatureEffect(feature.name(), perTask, d.length == 0 ? Double.NaN : Descriptive.of(d).mean(),
                d.length > 1 ? StudentT.meanInterval(d, config.level()) : null, noContrast);
    }

    private static LengthCorrelation length(List<TaskRanking> rankings, StatsConfig config) {
        List<LengthCorrelation.PerTask> perTask = new ArrayList<>();
        int skipped = 0;
        for (TaskRanking t : rankings) {
            double[] words = t.wordings().stream().mapToDouble(w -> w.features().words()).toArray();
            double[] scores = t.wordings().stream().mapToDouble(w -> w.seeds().mean()).toArray();
            // commons-math ranks ties by their average rank, as scipy.stats.spearmanr does
            double rho = words.length < MIN_WORDINGS_FOR_CORRELATION ? Double.NaN
                    : new SpearmansCorrelation().correlation(words, scores);
            if (Double.isNaN(rho)) skipped++;
            else perTask.add(new LengthCorrelation.PerTask(t.context(), words.length, rho));
        }
        double[] r = perTask.stream().mapToDouble(LengthCorrelation.PerTask::rho).toArray();
        return new LengthCorrelation(perTask, r.length == 0 ? Double.NaN : Descriptive.of(r).mean(),
                r.length > 1 ? StudentT.meanInterval(r, config.level()) : null, skipped);
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.size();
    }
}
