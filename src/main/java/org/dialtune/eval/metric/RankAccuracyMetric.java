package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rank-classification accuracy: the option index chosen by option scoring (the highest summed
 * log-likelihood, as T0) against the gold index. Every example must carry both indices. When every
 * example also carries the length-normalised choice (highest log-likelihood per token), its accuracy
 * is reported beside the value as {@code rank_accuracy_normalized} (and {@code correct_normalized}):
 * summing favours short options, normalising does not, and the field notes ask for both.
 */
public final class RankAccuracyMetric implements Metric {
    @Override
    public String name() {
        return "rank_accuracy";
    }

    @Override
    public MetricResult score(List<MetricExample> examples, MetricOptions options) {
        List<ExampleScore> scores = new ArrayList<>();
        int correct = 0;
        int correctNormalized = 0;
        boolean allNormalized = !examples.isEmpty();
        for (MetricExample e : examples) {
            if (!e.isRanked()) {
                throw new IllegalArgumentException("example " + e.id() + ": rank_accuracy needs the chosen and gold"
                        + " option indices (use MetricExample.ranked)");
            }
            boolean right = e.chosenIndex() == e.goldIndex();
            if (right) correct++;
            allNormalized &= e.normalizedIndex() != MetricExample.NO_INDEX;
            if (e.normalizedIndex() == e.goldIndex()) correctNormalized++;
            scores.add(new ExampleScore(e.id(), right ? 1.0 : 0.0, Set.of()));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("examples", examples.size());
        counts.put("correct", correct);
        if (!allNormalized) return MetricResult.mean(name(), scores, counts, Map.of());
        counts.put("correct_normalized", correctNormalized);
        return MetricResult.mean(name(), scores, counts, Map.of("ranking", "summed log-likelihood"))
                .withAlternatives(Map.of(name() + "_normalized", correctNormalized / (double) examples.size()));
    }
}
