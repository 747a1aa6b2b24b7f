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
import org.dialtune.common.UserError;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.generate.StopReason;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtune generate}: greedy or beam search for every source of a JSONL file. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generates a text for every source with a checkpoint, with Hugging Face generate() rules "
                + "(forced BOS/EOS, length penalty, early stopping); defaults come from the checkpoint's "
                + "generation_config.json (else config.json) and transformers 5's defaults.",
                "Input lines: {\"id\", \"source\"}. Output lines: {\"id\", \"text\", \"ids\", \"stop\"} (+ \"score\" "
                + "with beams); \"ids\" starts with the decoder start token, \"stop\" is \"eos\" or \"max_length\"."})
public final class GenerateCommand implements Runnable {
    @Mixin
    ModelRunOptions run;

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl", description = "Sources to generate from.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "OUT.jsonl", description = "Where to write the outputs.")
    Path out;

    @Option(names = "--num-beams", paramLabel = "N", description = "1 = greedy (default: the checkpoint's num_beams).")
    Integer numBeams;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "Most tokens generated after the decoder start token, BOS and EOS included "
                    + "(default: the checkpoint's max_length - 1, else transformers' default of 20).")
    Integer maxNewTokens;

    @Option(names = "--min-length", paramLabel = "N",
            description = "EOS is banned until the sequence (start token included) is this long.")
    Integer minLength;

    @Option(names = "--no-repeat-ngram-size", paramLabel = "N", description = "Never repeat an n-gram of this size.")
    Integer noRepeatNgramSize;

    @Option(names = "--length-penalty", paramLabel = "X",
            description = "Beam score = sum of log-probs / length^X (>1 favours longer outputs).")
    Double lengthPenalty;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Sources generated together (default: ${DEFAULT-VALUE}); beam search decodes N x beams rows.")
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
        List<String> texts = new ArrayList<>(lines.size());
        for (JsonlInput.Line l : lines) { // ids were checked (present, unique) by JsonlInput
            texts.add(l.string("source"));
        }
        try (Seq2SeqTokenizer tok = run.loadTokenizer();
             Seq2SeqLm model = run.loadModel(tok);
             NDManager manager = NDManager.newBaseManager(model.device())) {
            int sourceLimit = run.sourceLimit(model);
            GenerationConfig cfg = settings(GenerationConfig.forModel(model.config(), run.model));
            Generator generator = new Generator(model, cfg, run.batchSize); // checks the settings against the model
            if (maxNewTokens == null) {
                err.println("generate: at most " + (cfg.maxLength() - 1) + " new tokens (" + cfg.maxLengthOrigin()
                        + " " + cfg.maxLength() + "); set --max-new-tokens to change it");
            }
            Seq2SeqTokenizer.Encoded sources = tok.encode(texts, sourceLimit);
            ModelRunOptions.reportTruncation(err, "generate", "sources", sources, "--max-source-length");
            List<Generated> outputs = generator.generate(manager, sources.ids(),
                    ModelRunOptions.progress(err, "generate", lines.size(), "sources", run.batchSize));
            int capped = 0;
            for (Generated g : outputs) if (g.stop() == StopReason.MAX_LENGTH) capped++;
            AtomicFiles.writeText(out, w -> {
                for (int i = 0; i < outputs.size(); i++) {
                    w.write(Json.COMPACT.toJson(record(lines.get(i), outputs.get(i), tok)));
                    w.write('\n');
                }
            });
            err.println("generate: wrote " + outputs.size() + " outputs to " + out
                    + (capped == 0 ? "" : "; " + capped + " stopped at the length cap of " + (cfg.maxLength() - 1)
                    + " new tokens (\"stop\": \"max_length\"; raise --max-new-tokens)"));
        }
    }

    private GenerationConfig settings(GenerationConfig g) {
        if (numBeams != null) g = g.withNumBeams(numBeams);
        if (minLength != null) g = g.withMinLength(minLength);
        if (noRepeatNgramSize != null) g = g.withNoRepeatNgramSize(noRepeatNgramSize);
        if (lengthPenalty != null) g = g.withLengthPenalty(lengthPenalty);
        if (maxNewTokens != null) {
            if (maxNewTokens < 1) throw new UserError("--max-new-tokens must be at least 1, got " + maxNewTokens);
            g = g.withMaxNewTokens(maxNewTokens, "--max-new-tokens");
        }
        return g;
    }

    private static JsonObject record(JsonlInput.Line line, Generated g, Seq2SeqTokenizer tok) {
        JsonObject o = new JsonObject();
        o.add("id", line.id());
        o.addProperty("text", tok.decode(g.tokens()));
        JsonArray ids = new JsonArray();
        for (long t : g.tokens()) ids.add(t);
        o.add("ids", ids);
        o.addProperty("stop", g.stop().jsonName());
        if (!Double.isNaN(g.score())) o.addProperty("score", g.score());
        return o;
    }
}
