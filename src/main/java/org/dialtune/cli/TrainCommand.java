package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.RunPipeline;
import org.dialtune.pipeline.RunSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtune train}: runs the stages of a run file (or one quick multi-task stage) from a checkpoint. */
@Command(name = "train", description = {
        "Train a model through one or more stages (general MTL → in-domain MTL → few-shot), with checkpoints and exact resume.",
        "Stage and run files are described in eval/README.md."})
public final class TrainCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Starting checkpoint (HF layout: config.json, model.safetensors, tokenizer.json).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--stage", paramLabel = "FILE.json", description = "A stage or run file.")
        Path stageFile;

        @Option(names = "--tasks", paramLabel = "A,B", description = "Train one multi-task stage on these tasks.")
        String tasks;
    }

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
            description = "With --tasks: optimiser steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--instructions", paramLabel = "on|off|fixed:ID", defaultValue = "on",
            description = "With --tasks: instruction wordings (default: ${DEFAULT-VALUE}, one sampled per example).")
    String instructions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (stages, checkpoints, logs).")
    Path out;

    @Option(names = "--resume", description = "Continue an interrupted run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "10", description = "Log every N steps (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--record-batches",
            description = "Write each micro-batch's examples and token ids to batches.jsonl in the stage directory "
                    + "(to replay a run elsewhere, e.g. in transformers).")
    boolean recordBatches;

    @Mixin
    ComputeOptions compute;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    TrainCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        if (!Files.isDirectory(model)) throw new UserError("--model " + model + ": not a checkpoint directory");
        if (!Files.isRegularFile(model.resolve("tokenizer.json"))) {
            throw new UserError(model + ": no tokenizer.json in the model directory: copy the checkpoint's tokenizer.json there");
        }
        if (logEvery < 1) throw new UserError("--log-every must be at least 1, got " + logEvery);
        PrintWriter o = spec.commandLine().getOut();
        try (RunDirLock lock = RunDirLock.acquire(out, spec.commandLine().getErr()::println)) {
            RunSpec run = what.stageFile != null ? RunSpec.load(what.stageFile) : quickRun();
            RunPipeline.Result r = pipelines.create(sources, compute.device(), compute.precision(), logEvery, 2,
                    recordBatches, o::println).run(run, model, out, resume);
            o.println("final model: " + r.finalModel());
        }
    }

    /** {@code --tasks}: one multi-task stage written out as a stage file, so the run is reproducible from it. */
    private RunSpec quickRun() {
        if (steps < 1) throw new UserError("--steps must be at least 1, got " + steps);
        List<String> names = List.of(what.tasks.split(","));
        String json = "{\"name\": \"mtl\", \"tasks\": " + org.dialtune.common.Json.COMPACT.toJson(names) + ", \"steps\": "
                + steps + ", \"instructions\": " + org.dialtune.common.Json.COMPACT.toJson(instructions) + "}\n";
        Path file = out.resolve("stage-from-cli.json");
        AtomicFiles.writeString(file, json);
        return RunSpec.load(file);
    }
}
