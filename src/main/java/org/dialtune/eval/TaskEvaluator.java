package org.dialtune.eval;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dialtune.eval.metric.MetricExample;
import org.dialtune.eval.metric.MetricOptions;
import org.dialtune.eval.metric.MetricResult;
import org.dialtune.eval.metric.Metrics;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.score.OptionScorer;
import org.dialtune.model.score.OptionScores;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.task.Task;

/**
 * Scores a model on a task's examples with the task's metric: classification by rank classification
 * over the options ({@code rank_accuracy}) or by generating and matching ({@code accuracy}),
 * generation by generating and computing the task's metric (Rouge-L). Decoding is greedy by default
 * and its length cap is explicit per task type, never HF's silent 20.
 */
public final class TaskEvaluator {
    /** How classification tasks are scored: as the task file says, or forced one way for a whole run. */
    public enum ClassificationScoring { TASK, RANK, GENERATE }

    public record Settings(int batchSize, int maxSourceTokens, int maxNewTokens, int maxNewTokensClassification,
                           int numBeams, ClassificationScoring scoring) {
        public static Settings defaults() {
            return new Settings(16, 512, 64, 24, 1, ClassificationScoring.TASK);
        }

        public Settings withScoring(ClassificationScoring s) {
            return new Settings(batchSize, maxSourceTokens, maxNewTokens, maxNewTokensClassification, numBeams, s);
        }

        /** The same settings for sources fitted to another token budget. */
        public Settings withMaxSourceTokens(int tokens) {
            return new Settings(batchSize, tokens, maxNewTokens, maxNewTokensClassification, numBeams, scoring);
        }
    }

    /**
     * What the model produced for one example, and its score. With rank classification,
     * {@code normalized} is the option the length-normalised ranking picked (null otherwise).
     */
    public record Prediction(String id, String prediction, String target, double value, String normalized) {}

    /** A task's score with the per-example detail and what was cut to fit. */
    public record Evaluation(String task, MetricResult result, List<Prediction> predictions, int truncatedSources,
                             double seconds) {}

    private final Metrics metrics;

    @Inject
    public TaskEvaluator(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The metric name a task is scored with under {@code scoring}. */
    public static String metricFor(Task task, ClassificationScoring scoring) {
        if (!task.isClassification()) return task.metric();
        return switch (scoring) {
            case RANK -> "rank_accuracy";
            case GENERATE -> "accuracy";
            case TASK -> task.metric();
        };
    }

    /**
     * @param modelDir the checkpoint the model's generation defaults come from (its config.json and
     *     generation_config.json); the weights may since have been trained further
     */
    public Evaluation evaluate(Seq2SeqLm model, java.nio.file.Path modelDir, Seq2SeqTokenizer tokenizer, Task task,
                               List<Seq2SeqExample> examples, Settings s) {
        if (examples.isEmpty()) throw new org.dialtune.common.UserError("task " + task.name() + ": no examples to evaluate");
        long t0 = System.nanoTime();
        String metricName = metricFor(task, s.scoring());
        int maxSource = Math.min(s.maxSourceTokens(), model.config().maxPositions());
        Seq2SeqTokenizer.Encoded sources = tokenizer.encode(examples.stream().map(Seq2SeqExample::source).toList(),
                maxSource);
        List<MetricExample> scored = new ArrayList<>(examples.size());
        List<String> predictions = new ArrayList<>(examples.size());
        List<String> normalized = new ArrayList<>(examples.size());
        try (NDManager m = model.manager().newSubManager()) {
            if (metricName.equals("rank_accuracy")) {
                List<List<long[]>> options = new ArrayList<>();
                for (Seq2SeqExample e : examples) options.add(tokenizer.encode(e.options(), model.config().maxPositions()).ids());
                List<OptionScores> all = new OptionScorer(model, s.batchSize()).score(m, sources.ids(), options, n -> { });
                for (int i = 0; i < examples.size(); i++) {
                    Seq2SeqExample e = examples.get(i);
                    int chosen = all.get(i).best();
                    int chosenNormalized = all.get(i).bestNormalized();
                    scored.add(MetricExample.ranked(e.id(), e.options(), chosen, e.options().indexOf(e.target()))
                            .withNormalizedChoice(chosenNormalized));
                    predictions.add(e.options().get(chosen));
                    normalized.add(e.options().get(chosenNormalized));
                }
            } else {
                int maxNew = task.isClassification() ? s.maxNewTokensClassification() : s.maxNewTokens();
                GenerationConfig cfg = GenerationConfig.forModel(model.config(), modelDir)
                        .withNumBeams(s.numBeams()).withMaxNewTokens(maxNew, "evaluation settings");
                List<Generated> out = new Generator(model, cfg, s.batchSize()).generate(m, sources.ids());
                for (int i = 0; i < examples.size(); i++) {
                    Seq2SeqExample e = examples.get(i);
                    String text = tokenizer.decode(out.get(i).tokens()).strip();
                    predictions.add(text);
                    normalized.add(null);
                    scored.add(MetricExample.generated(e.id(), text, List.of(e.target()), e.options()));
                }
            }
        }
        MetricResult result = metrics.get(metricName, "task " + task.name())
                .score(scored, MetricOptions.DEFAULT.withAnswerTemplate(task.answerTemplate()));
        List<Prediction> detail = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            detail.add(new Prediction(examples.get(i).id(), predictions.get(i), examples.get(i).target(),
                    result.examples().get(i).value(), normalized.get(i)));
        }
        return new Evaluation(task.name(), result, detail, sources.truncated(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * One line for logs: {@code banking77-intent: accuracy = 0.4200 (n=100); 100 examples in 12.5 s (8.0
     * examples/s, generation)}.
     */
    public static String describe(Evaluation e) {
        return String.format(Locale.ROOT, "%s: %s; %d examples in %.1f s (%.1f examples/s, %s)", e.task(),
                e.result().summaryLine(), e.predictions().size(), e.seconds(), e.predictions().size() / e.seconds(),
                scoringOf(e));
    }

    /** How an evaluation scored its examples: {@code rank scoring} of the options, or {@code generation}. */
    public static String scoringOf(Evaluation e) {
        return e.result().metric().equals("rank_accuracy") ? "rank scoring" : "generation";
    }
}
