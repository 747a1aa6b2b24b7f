package org.dialtune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Precision;
import org.dialtune.train.StageSpec;
import org.dialtune.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune bench}: training, generation and option-scoring throughput of a random model, as one JSON line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training steps (forward, loss, backward, AdamW), greedy and beam generation and option "
                + "scoring of a random model from a config; prints one JSON line (the measures of "
                + "src/bench/python/peer_bench.py, under the same names).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "CONFIG",
            description = "A config.json (model_type bart or t5), or a directory holding one.")
    Path config;

    @Option(names = "--batch", defaultValue = "8", description = "Rows per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--src-len", defaultValue = "128", description = "Source tokens per row. Default: ${DEFAULT-VALUE}.")
    int srcLen;

    @Option(names = "--tgt-len", defaultValue = "32", description = "Target tokens per row. Default: ${DEFAULT-VALUE}.")
    int tgtLen;

    @Option(names = "--steps", defaultValue = "3", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed training steps first, and untimed calls before each generation and scoring measure (at least one). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--gen-runs", defaultValue = "3",
            description = "Timed calls of each generation and scoring measure after training (0 = none). "
                    + "Default: ${DEFAULT-VALUE}.")
    int genRuns;

    @Option(names = "--beams", defaultValue = "4",
            description = "Beam width of the beam-search measure (0 = not timed). Default: ${DEFAULT-VALUE}.")
    int beams;

    @Option(names = "--options", defaultValue = "150",
            description = "Options scored over one source in the option-scoring measure, as clinc150's intents "
                    + "(0 = not timed). Default: ${DEFAULT-VALUE}.")
    int options;

    @Option(names = "--option-max-len", defaultValue = "6",
            description = "Tokens of the longest option, EOS not counted (options have 2 to this many). "
                    + "Default: ${DEFAULT-VALUE}.")
    int optionMaxLen;

    @Option(names = "--threads", description = "Intra-op threads of libtorch (default: libtorch's choice).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights and batches. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, or gpu / gpu:N with a CUDA libtorch.")
    String device;

    @Option(names = "--precision", paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "fp16: time mixed precision as train --precision fp16 runs it. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--method", paramLabel = "JSON",
            description = "A stage file's training method, e.g. '{\"kind\": \"lora\", \"lora\": {\"r\": 8}}' (eval/README.md)."
                    + " Default: full.")
    String method;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batch < 1 || srcLen < 2 || tgtLen < 5 || steps < 1 || warmup < 0 || genRuns < 0) {
            throw new UserError("bench: --batch, --steps must be ≥ 1, --src-len ≥ 2, --tgt-len ≥ 5, --warmup and --gen-runs ≥ 0");
        }
        if (beams < 0 || beams == 1 || options < 0 || optionMaxLen < 2) {
            throw new UserError("bench: --beams must be 0 (not timed) or ≥ 2, --options ≥ 0, --option-max-len ≥ 2");
        }
        Precision mode = Precision.parse(precision, "--precision");
        ModelConfig cfg = ModelFamilies.readConfig(config);
        if (srcLen > cfg.maxPositions() || tgtLen > cfg.maxPositions()) {
            throw new UserError(config + ": field \"" + cfg.maxPositionsField() + "\" is " + cfg.maxPositions()
                    + ": use --src-len and --tgt-len up to that");
        }
        Device dev = Devices.parse(device);
        Engine.getInstance(); // loads libtorch before its thread setting is touched
        if (threads != null) JniUtils.setNumThreads(threads);
        TrainBenchmark.Result r = TrainBenchmark.run(cfg, dev,
                new TrainBenchmark.Settings(batch, srcLen, tgtLen, steps, warmup, seed, genRuns, mode, beams, options,
                        optionMaxLen, method()));
        JsonObject o = new JsonObject();
        o.addProperty("config", config.toString());
        o.addProperty("params", r.params());
        o.addProperty("method", method == null ? "full" : method);
        o.addProperty("trainable_params", r.trainable());
        o.addProperty("optimizer_state_bytes", r.optimizerStateBytes());
        o.addProperty("d_model", cfg.dModel());
        o.addProperty("batch", batch);
        o.addProperty("src_len", srcLen);
        o.addProperty("tgt_len", tgtLen);
        o.addProperty("steps", steps);
        o.addProperty("warmup", warmup);
        o.addProperty("threads", JniUtils.getNumThreads());
        o.addProperty("device", dev.toString());
        o.addProperty("precision", mode.label());
        o.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        o.addProperty("train_tokens_per_s", round(r.trainTokensPerS()));
        o.addProperty("step_ms", round(r.stepMs()));
        JsonArray all = new JsonArray();
        r.stepMsAll().forEach(t -> all.add(round(t)));
        o.add("step_ms_all", all);
        JsonArray losses = new JsonArray();
        losses.add(r.firstLoss());
        losses.add(r.lastLoss());
        o.add("train_loss_first_last", losses);
        addRate(o, "gen_tokens_per_s", "gen_ms_all", r.greedy());
        addRate(o, "beam_tokens_per_s", "beam_ms_all", r.beam());
        if (r.beam() != null) o.addProperty("beams", beams);
        addRate(o, "score_options_per_s", "score_ms_all", r.score());
        if (r.score() != null) o.addProperty("options", options);
        o.addProperty("peak_rss_mb", r.peakRssMb());
        spec.commandLine().getOut().println(Json.COMPACT.toJson(o));
        return 0;
    }

    /** A measure under the names peer_bench.py prints (bin/bench-compare pairs them); nothing if not timed. */
    private static void addRate(JsonObject o, String rateKey, String timesKey, TrainBenchmark.Rate rate) {
        if (rate == null) return;
        o.addProperty(rateKey, round(rate.perSecond()));
        JsonArray times = new JsonArray();
        rate.msAll().forEach(t -> times.add(round(t)));
        o.add(timesKey, times);
    }

    /** --method parsed as a stage file's {@code method} field (errors name --method and the field). */
    private StageSpec.Method method() {
        if (method == null) return StageSpec.Method.FULL;
        com.google.gson.JsonElement json;
        try {
            json = com.google.gson.JsonParser.parseString(method);
        } catch (RuntimeException e) {
            throw new UserError("--method: not JSON: " + method);
        }
        return StageSpec.Method.parse(org.dialtune.common.SpecObject.of(java.nio.file.Path.of("--method"), "method", json));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
