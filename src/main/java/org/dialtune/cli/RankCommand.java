package org.dialtune.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.score.OptionScorer;
import org.dialtune.model.score.OptionScores;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtune rank}: rank classification, scoring each candidate answer by its log-likelihood. */
@Command(name = "rank", mixinStandardHelpOptions = true,
        description = {"Scores every option of every source by the model's log-likelihood of the option "
                + "(teacher-forced like a training target, special tokens included) and picks the best.",
                "Input lines: {\"id\", \"source\", \"options\": [..]}. Output lines: {\"id\", \"scores\", "
                + "\"normalized\", \"best\", \"best_normalized\"}: scores are summed log-probabilities, normalized "
                + "ones are divided by the option's token count; best is the 0-based index of the highest score "
                + "(T0 convention), best_normalized that of the highest normalized score."})
public final class RankCommand implements Runnable {
    @Mixin
    ModelRunOptions run;

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl", description = "Sources and their options.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "OUT.jsonl", description = "Where to write the scores.")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "At most N sources encoded together and N option rows decoded together"
                    + " (default: ${DEFAULT-VALUE}).")
    void batchSize(int n) {
        run.batchSize = n;
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        run.validate();
        PrintWriter err = spec.commandLine().getErr();
        List<JsonlInput.Line> lines = JsonlInput.read(input);
        List<String> sourceTexts = new ArrayList<>(lines.size());
        List<String> optionTexts = new ArrayList<>();
        List<Integer> optionCounts = new ArrayList<>(lines.size());
        for (JsonlInput.Line l : lines) { // ids were checked (present, unique) by JsonlInput
            sourceTexts.add(l.string("source"));
            List<String> options = l.strings("options");
            optionTexts.addAll(options);
            optionCounts.add(options.size());
        }
        try (Seq2SeqTokenizer tok = run.loadTokenizer();
             Seq2SeqLm model = run.loadModel(tok);
             NDManager manager = NDManager.newBaseManager(model.device())) {
            Seq2SeqTokenizer.Encoded sources = tok.encode(sourceTexts, run.sourceLimit(model));
            ModelRunOptions.reportTruncation(err, "rank", "sources", sources, "--max-source-length");
            // an option is a decoder target: the decoder's position table bounds it
            Seq2SeqTokenizer.Encoded options = tok.encode(optionTexts, model.config().maxPositions());
            ModelRunOptions.reportTruncation(err, "rank", "options", options, null);
            List<List<long[]>> grouped = new ArrayList<>(lines.size());
            int next = 0;
            for (int n : optionCounts) {
                grouped.add(options.ids().subList(next, next + n));
                next += n;
            }
            List<OptionScores> scores = new OptionScorer(model, run.batchSize).score(manager, sources.ids(), grouped,
                    ModelRunOptions.progress(err, "rank", lines.size(), "sources", run.batchSize));
            AtomicFiles.writeText(out, w -> {
                for (int i = 0; i < scores.size(); i++) {
                    w.write(Json.COMPACT.toJson(record(lines.get(i), scores.get(i))));
                    w.write('\n');
                }
            });
            err.println("rank: wrote " + scores.size() + " rankings to " + out);
        }
    }

    private static JsonObject record(JsonlInput.Line line, OptionScores s) {
        JsonObject o = new JsonObject();
        o.add("id", line.id());
        o.add("scores", numbers(s.total()));
        o.add("normalized", numbers(s.normalized()));
        o.addProperty("best", s.best());
        o.addProperty("best_normalized", s.bestNormalized());
        return o;
    }

    private static JsonArray numbers(double[] v) {
        JsonArray a = new JsonArray();
        for (double d : v) a.add(d);
        return a;
    }
}
