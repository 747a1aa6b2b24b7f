package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rouge-L F-measure per example (best over its references), averaged over the corpus. {@code rouge_l}
 * scores whole texts, {@code rouge_lsum} newline-separated sentences (rouge_score's rougeLsum).
 * Counts the examples whose prediction, or every reference, has no token, since those score 0.
 */
public final class RougeLMetric implements Metric {
    public static final String FLAG_EMPTY_PREDICTION = "empty_prediction";
    public static final String FLAG_EMPTY_REFERENCE = "empty_reference";

    private final boolean summaryLevel;

    public RougeLMetric(boolean summaryLevel) {
        this.summaryLevel = summaryLevel;
    }

    @Override
    public String name() {
        return summaryLevel ? "rouge_lsum" : "rouge_l";
    }

    @Override
    public MetricResult score(List<MetricExample> examples, MetricOptions options) {
        RougeL rouge = new RougeL(options.stem(), summaryLevel);
        RougeTokenizer tokenizer = new RougeTokenizer(false); // emptiness does not depend on stemming
        List<ExampleScore> scores = new ArrayList<>();
        int emptyPredictions = 0;
        int emptyReferences = 0;
        for (MetricExample e : examples) {
            boolean emptyPrediction = tokenizer.tokenize(e.prediction()).isEmpty();
            boolean emptyReference = e.references().stream().allMatch(r -> tokenizer.tokenize(r).isEmpty());
            if (emptyPrediction) emptyPredictions++;
            if (emptyReference) emptyReferences++;
            Set<String> flags = new HashSet<>();
            if (emptyPrediction) flags.add(FLAG_EMPTY_PREDICTION);
            if (emptyReference) flags.add(FLAG_EMPTY_REFERENCE);
            RougeScore best;
            try {
                best = rouge.scoreBest(e.references(), e.prediction());
            } catch (RougeL.TooLongException tooLong) {
                throw tooLong.at("example \"" + e.id() + "\"");
            }
            scores.add(new ExampleScore(e.id(), best.fmeasure(), flags));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("examples", examples.size());
        counts.put(FLAG_EMPTY_PREDICTION, emptyPredictions);
        counts.put(FLAG_EMPTY_REFERENCE, emptyReferences);
        return MetricResult.mean(name(), scores, counts, Map.of("stemming", options.stem() ? "on" : "off"));
    }
}
