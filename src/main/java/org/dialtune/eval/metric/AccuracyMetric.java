package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generate-and-match classification accuracy, as InstructDial scores it: the normalised prediction
 * must equal a normalised reference exactly (see {@link AnswerNormalizer}). Where the example lists
 * its options, predictions that match none of them are counted as {@code out_of_label}, and gold
 * answers that are not among the options (a task-file bug) as {@code reference_not_in_options}.
 */
public final class AccuracyMetric implements Metric {
    public static final String FLAG_OUT_OF_LABEL = "out_of_label";
    public static final String FLAG_REFERENCE_NOT_IN_OPTIONS = "reference_not_in_options";

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public MetricResult score(List<MetricExample> examples, MetricOptions options) {
        AnswerNormalizer normalizer = AnswerNormalizer.forTemplate(options.answerTemplate());
        List<ExampleScore> scores = new ArrayList<>();
        int correct = 0;
        int withOptions = 0;
        int outOfLabel = 0;
        int goldMissing = 0;
        for (MetricExample e : examples) {
            String prediction = normalizer.normalize(e.prediction());
            Set<String> gold = normalizeAll(normalizer, e.references());
            boolean right = gold.contains(prediction);
            Set<String> flags = new HashSet<>();
            if (!e.options().isEmpty()) {
                withOptions++;
                Set<String> labels = normalizeAll(normalizer, e.options());
                if (!labels.contains(prediction)) {
                    flags.add(FLAG_OUT_OF_LABEL);
                    outOfLabel++;
                }
                if (gold.stream().noneMatch(labels::contains)) {
                    flags.add(FLAG_REFERENCE_NOT_IN_OPTIONS);
                    goldMissing++;
                }
            }
            if (right) correct++;
            scores.add(new ExampleScore(e.id(), right ? 1.0 : 0.0, flags));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("examples", examples.size());
        counts.put("correct", correct);
        counts.put("with_options", withOptions);
        counts.put(FLAG_OUT_OF_LABEL, outOfLabel);
        counts.put(FLAG_REFERENCE_NOT_IN_OPTIONS, goldMissing);
        return MetricResult.mean(name(), scores, counts, Map.of("template", normalizer.template()));
    }

    private static Set<String> normalizeAll(AnswerNormalizer normalizer, List<String> texts) {
        Set<String> out = new HashSet<>();
        for (String t : texts) out.add(normalizer.normalize(t));
        return out;
    }
}
