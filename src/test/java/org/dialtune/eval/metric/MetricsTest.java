package org.dialtune.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.util.List;
import java.util.Map;
import org.dialtune.cli.DialtuneModules;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

/** The registry as the CLI builds it, and each built-in metric's counts and settings. */
class MetricsTest {
    private final Metrics metrics = Guice.createInjector(DialtuneModules.all()).getInstance(Metrics.class);

    @Test
    void builtInMetricsAreBoundUnderTheirOwnNames() {
        assertEquals(List.of("accuracy", "rank_accuracy", "rouge_l", "rouge_lsum"), metrics.names());
        for (String name : metrics.names()) assertEquals(name, metrics.get(name, "test").name());
    }

    @Test
    void unknownNameIsAOneLineErrorListingTheKnownOnes() {
        UserError e = assertThrows(UserError.class, () -> metrics.get("bleu", "tasks/x.json: field \"metric\""));
        assertEquals("tasks/x.json: field \"metric\": unknown metric \"bleu\" (use one of: accuracy, rank_accuracy,"
                + " rouge_l, rouge_lsum)", e.getMessage());
    }

    @Test
    void accuracyCountsCorrectAndOutOfLabel() {
        List<String> labels = List.of("The intent is balance.", "The intent is card_arrival.", "The intent is refund.");
        List<MetricExample> examples = List.of(
                MetricExample.generated("1", "The intent is balance.", List.of("The intent is balance."), labels),
                MetricExample.generated("2", "the intent is Refund", List.of("The intent is refund."), labels),
                MetricExample.generated("3", "The intent is weather.", List.of("The intent is refund."), labels),
                MetricExample.generated("4", "The intent is balance.", List.of("The intent is refund."), labels),
                MetricExample.generated("5", "balance", List.of("The intent is lost_card."), labels));
        MetricResult r = metrics.get("accuracy", "test")
                .score(examples, MetricOptions.DEFAULT.withAnswerTemplate("The intent is {answer}."));
        assertEquals(0.4, r.value(), 1e-15);
        assertEquals(Map.of("examples", 5, "correct", 2, "with_options", 5, "out_of_label", 1,
                "reference_not_in_options", 1), r.counts());
        assertEquals(List.of(1.0, 1.0, 0.0, 0.0, 0.0), r.examples().stream().map(ExampleScore::value).toList());
        assertTrue(r.examples().get(2).has(AccuracyMetric.FLAG_OUT_OF_LABEL));
        assertTrue(r.examples().get(4).has(AccuracyMetric.FLAG_REFERENCE_NOT_IN_OPTIONS));
        assertEquals("The intent is {answer}.", r.settings().get("template"));
        assertEquals("accuracy = 0.4000 (examples=5, correct=2, with_options=5, out_of_label=1,"
                + " reference_not_in_options=1; template=The intent is {answer}.)", r.summaryLine());
    }

    @Test
    void accuracyWithoutOptionsCannotJudgeOutOfLabel() {
        MetricResult r = metrics.get("accuracy", "test").score(List.of(
                MetricExample.generated("a", "Yes.", "yes"), MetricExample.generated("b", "no", "yes")),
                MetricOptions.DEFAULT);
        assertEquals(0.5, r.value());
        assertEquals(0, r.counts().get("with_options"));
        assertEquals(0, r.counts().get("out_of_label"));
    }

    @Test
    void rankAccuracyComparesIndices() {
        List<String> options = List.of("yes", "no", "maybe");
        MetricResult r = metrics.get("rank_accuracy", "test").score(List.of(
                MetricExample.ranked("a", options, 0, 0),
                MetricExample.ranked("b", options, 2, 1),
                MetricExample.ranked("c", options, 1, 1),
                MetricExample.ranked("d", options, 0, 2)), MetricOptions.DEFAULT);
        assertEquals(0.5, r.value());
        assertEquals(2, r.counts().get("correct"));
        assertThrows(IllegalArgumentException.class, () -> MetricExample.ranked("e", options, 3, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metrics.get("rank_accuracy", "t")
                .score(List.of(MetricExample.generated("g", "yes", "yes")), MetricOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("example g: rank_accuracy needs"), e.getMessage());
        assertEquals(Map.of(), r.alternatives(), "no normalised choices given: nothing beside the value");
    }

    @Test
    void rankAccuracyReportsTheLengthNormalisedRankingBesideTheSummedOne() {
        List<String> options = List.of("yes", "no", "maybe");
        MetricResult r = metrics.get("rank_accuracy", "test").score(List.of(
                MetricExample.ranked("a", options, 0, 0).withNormalizedChoice(2),
                MetricExample.ranked("b", options, 2, 1).withNormalizedChoice(1),
                MetricExample.ranked("c", options, 1, 1).withNormalizedChoice(1),
                MetricExample.ranked("d", options, 0, 2).withNormalizedChoice(2)), MetricOptions.DEFAULT);
        assertEquals(0.5, r.value(), "the value stays the summed ranking's");
        assertEquals(2, r.counts().get("correct"));
        assertEquals(3, r.counts().get("correct_normalized"));
        assertEquals(Map.of("rank_accuracy_normalized", 0.75), r.alternatives());
        assertEquals("rank_accuracy = 0.5000 (examples=4, correct=2, correct_normalized=3; ranking=summed log-likelihood)"
                + "; rank_accuracy_normalized = 0.7500", r.summaryLine());
        assertThrows(IllegalArgumentException.class, () -> MetricExample.ranked("e", options, 0, 0).withNormalizedChoice(3));
    }

    @Test
    void rougeReportsStemmingEmptiesAndTheMean() {
        List<MetricExample> examples = List.of(
                MetricExample.generated("1", "the cats ran", "the cat ran"),
                MetricExample.generated("2", "", "something"),
                MetricExample.generated("3", "你好", "hello"),
                MetricExample.generated("4", "x", "!!!"));
        MetricResult stemmed = metrics.get("rouge_l", "t").score(examples, MetricOptions.DEFAULT);
        MetricResult plain = metrics.get("rouge_l", "t").score(examples, MetricOptions.DEFAULT.withStem(false));
        assertEquals(0.25, stemmed.value(), 1e-15);                 // (1 + 0 + 0 + 0) / 4
        assertEquals((2.0 / 3) / 4, plain.value(), 1e-15);          // "cats" != "cat" without stemming
        assertEquals("on", stemmed.settings().get("stemming"));
        assertEquals("off", plain.settings().get("stemming"));
        assertEquals(2, stemmed.counts().get("empty_prediction"));  // "" and the non-ASCII-only "你好"
        assertEquals(1, stemmed.counts().get("empty_reference"));
        assertEquals("rouge_l = 0.2500 (examples=4, empty_prediction=2, empty_reference=1; stemming=on)",
                stemmed.summaryLine());
        assertEquals("rouge_lsum", metrics.get("rouge_lsum", "t").score(examples, MetricOptions.DEFAULT).metric());
    }

    @Test
    void noExamplesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> metrics.get("rouge_l", "t").score(List.of(), MetricOptions.DEFAULT));
    }
}
