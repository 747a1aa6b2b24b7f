package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rank-classification accuracy: the option index chosen by option scoring (e.g. the highest summed
 * log-likelihood) against the gold index. Every example must carry both indices.
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
        for (MetricExample e : examples) {
            if (!e.isRanked()) {
                throw new IllegalArgumentException("example " + e.id() + ": rank_accuracy needs the chosen and gold"
                        + " option indices (use MetricExample.ranked)");
            }
            boolean right = e.chosenIndex() == e.goldIndex();
            if (right) correct++;
            scores.add(new ExampleScore(e.id(), right ? 1.0 : 0.0, Set.of()));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("examples", examples.size());
        counts.put("correct", correct);
        return MetricResult.mean(name(), scores, counts, Map.of());
    }
}
