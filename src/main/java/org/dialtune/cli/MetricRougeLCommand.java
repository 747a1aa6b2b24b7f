package org.dialtune.cli;

import com.google.gson.JsonObject;
import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.eval.metric.ExampleScore;
import org.dialtune.eval.metric.MetricExample;
import org.dialtune.eval.metric.MetricOptions;
import org.dialtune.eval.metric.MetricResult;
import org.dialtune.eval.metric.Metrics;
import org.dialtune.eval.metric.PairsFile;
import org.dialtune.eval.metric.RougeL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune metric rouge-l}: per-example Rouge-L F-measure and the corpus mean. */
@Command(name = "rouge-l", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Rouge-L F-measure (0..1) of each prediction against its best reference, exactly as "
                + "google-research rouge_score computes rougeL (or rougeLsum with --sum).",
                "Input lines: {\"id\", \"prediction\", \"reference\"} or \"references\": [..]."})
public final class MetricRougeLCommand implements Runnable {
    @Option(names = "--input", required = true, paramLabel = "PAIRS.jsonl", description = "Predictions and references.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "SCORES.jsonl",
            description = "Per-example scores: {\"id\", \"rougeL\", \"stemmed\"} (\"rougeLsum\" with --sum).")
    Path out;

    @Option(names = "--stem", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Porter-stem tokens longer than 3 letters, as rouge_score's use_stemmer=True (default: on).")
    boolean stem;

    @Option(names = "--sum", description = "rougeLsum: split texts into sentences at newlines, union LCS.")
    boolean summaryLevel;

    @Spec
    CommandSpec spec;

    private final Metrics metrics;

    @Inject
    MetricRougeLCommand(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void run() {
        List<MetricExample> examples = PairsFile.read(input);
        MetricResult result;
        try {
            result = metrics.get(summaryLevel ? "rouge_lsum" : "rouge_l", "metric rouge-l")
                    .score(examples, MetricOptions.DEFAULT.withStem(stem));
        } catch (RougeL.TooLongException e) {
            throw e.at(input.toString());
        }
        String key = summaryLevel ? "rougeLsum" : "rougeL";
        AtomicFiles.writeText(out, w -> {
            for (ExampleScore s : result.examples()) {
                JsonObject o = new JsonObject();
                o.addProperty("id", s.id());
                o.addProperty(key, s.value());
                o.addProperty("stemmed", stem);
                w.write(Json.COMPACT.toJson(o));
                w.write('\n');
            }
        });
        spec.commandLine().getOut().println(result.summaryLine() + " -> " + out);
    }
}
