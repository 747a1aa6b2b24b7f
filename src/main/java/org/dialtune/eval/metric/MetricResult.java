package org.dialtune.eval.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A metric over a list of examples: the corpus value (the plain mean of the per-example values), the
 * per-example values, counts worth reporting beside it (e.g. predictions outside the label set,
 * empty predictions), the settings that produced it (e.g. {@code stemming=on}), and {@code alternatives}:
 * the same predictions scored another way, reported beside the value but never instead of it (e.g.
 * {@code rank_accuracy_normalized}).
 */
public record MetricResult(
        String metric, double value, List<ExampleScore> examples, Map<String, Integer> counts, Map<String, String> settings,
        Map<String, Double> alternatives) {
    public MetricResult {
        examples = List.copyOf(examples);
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        alternatives = Collections.unmodifiableMap(new LinkedHashMap<>(alternatives));
    }

    /** Builds a result whose value is the mean of the per-example values. */
    static MetricResult mean(String metric, List<ExampleScore> examples, Map<String, Integer> counts,
                             Map<String, String> settings) {
        if (examples.isEmpty()) throw new IllegalArgumentException(metric + ": no examples to score");
        double sum = 0;
        for (ExampleScore e : examples) sum += e.value();
        return new MetricResult(metric, sum / examples.size(), examples, counts, settings, Map.of());
    }

    /** This result with {@code alternatives} reported beside its value. */
    MetricResult withAlternatives(Map<String, Double> alternatives) {
        return new MetricResult(metric, value, examples, counts, settings, alternatives);
    }

    public double[] values() {
        return examples.stream().mapToDouble(ExampleScore::value).toArray();
    }

    /**
     * One line for people: {@code rouge_l = 0.4523 (examples=120, empty_prediction=2; stemming=on)}, with
     * alternatives after it: {@code ...; rank_accuracy_normalized = 0.4750}.
     */
    public String summaryLine() {
        String c = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String s = settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String a = alternatives.entrySet().stream().map(e -> String.format(Locale.ROOT, "; %s = %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining());
        return String.format(Locale.ROOT, "%s = %.4f (%s%s)%s", metric, value, c, s.isEmpty() ? "" : "; " + s, a);
    }
}
