package org.dialtune.cli;

import com.google.gson.JsonObject;
import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.eval.metric.AccuracyMetric;
import org.dialtune.eval.metric.AnswerNormalizer;
import org.dialtune.eval.metric.ExampleScore;
import org.dialtune.eval.metric.MetricExample;
import org.dialtune.eval.metric.MetricOptions;
import org.dialtune.eval.metric.MetricResult;
import org.dialtune.eval.metric.Metrics;
import org.dialtune.eval.metric.PairsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune metric accuracy}: generate-and-match accuracy with out-of-label counts. */
@Command(name = "accuracy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Exact-match accuracy after stripping the answer template, lower-casing, collapsing white space "
                + "and removing punctuation around the answer.",
                "Input lines: {\"id\", \"prediction\", \"reference\"[, \"options\": [..]]}; with options, predictions "
                + "that match none of them are counted as out_of_label."})
public final class MetricAccuracyCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "PAIRS.jsonl", description = "Predictions and gold answers.")
    Path input;

    @Option(names = "--template", paramLabel = "T", defaultValue = AnswerNormalizer.PLACEHOLDER,
            description = "The task's answer template, e.g. \"The intent is {answer}.\" (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Per-example results: {\"id\", \"correct\", \"out_of_label\"}.")
    Path out;

    @Spec
    CommandSpec spec;

    private final Metrics metrics;

    @Inject
    MetricAccuracyCommand(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            AnswerNormalizer.forTemplate(template);
        } catch (IllegalArgumentException e) {
            throw new UserError("--template: " + e.getMessage());
        }
        List<MetricExample> examples = PairsFile.read(input);
        MetricResult result = metrics.get("accuracy", "metric accuracy")
                .score(examples, MetricOptions.DEFAULT.withAnswerTemplate(template));
        if (out != null) {
            boolean withOptions = !examples.get(0).options().isEmpty(); // PairsFile: all lines or none
            AtomicFiles.writeText(out, w -> {
                for (ExampleScore s : result.examples()) {
                    JsonObject o = new JsonObject();
                    o.addProperty("id", s.id());
                    o.addProperty("correct", s.value() == 1.0);
                    if (withOptions) o.addProperty("out_of_label", s.has(AccuracyMetric.FLAG_OUT_OF_LABEL));
                    w.write(Json.COMPACT.toJson(o));
                    w.write('\n');
                }
            });
        }
        spec.commandLine().getOut().println(result.summaryLine() + (out == null ? "" : " -> " + out));
    }
}
