package org.dialtune.cli;

import ai.djl.Device;
import com.google.inject.Inject;
import java.util.function.Consumer;
import org.dialtune.eval.TaskEvaluator;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.TaskExamples;
import org.dialtune.model.Precision;
import org.dialtune.task.TaskFileParser;
import org.dialtune.pipeline.RunPipeline;
import org.dialtune.train.StageTrainer;

/** Builds the training/evaluation pipeline the train, experiment and demo commands share. */
final class RunPipelineFactory {
    /** Batches per length-bucketing window. */
    static final int BUCKET_WINDOW = 16;

    private final TaskFileParser parser;
    private final FormatterConfig formatter;
    private final TaskEvaluator evaluator;

    @Inject
    RunPipelineFactory(TaskFileParser parser, FormatterConfig formatter, TaskEvaluator evaluator) {
        this.parser = parser;
        this.formatter = formatter;
        this.evaluator = evaluator;
    }

    /** Loads and checks the task and instruction files, then wires the pipeline over them. */
    RunPipeline create(TaskSourceOptions sources, Device device, Precision precision, int logEvery, int keepCheckpoints,
                       Consumer<String> say) {
        return create(sources, device, precision, logEvery, keepCheckpoints, false, say);
    }

    /** As above; {@code recordBatches} writes each stage's micro-batches to its {@code batches.jsonl}. */
    RunPipeline create(TaskSourceOptions sources, Device device, Precision precision, int logEvery, int keepCheckpoints,
                       boolean recordBatches, Consumer<String> say) {
        if (precision == Precision.FP16 && !device.isGpu()) {
            say.accept("note: --precision fp16 on CPU is correct but several times slower than fp32 (libtorch has no"
                    + " fast float16 GEMM there); it is meant for GPUs");
        }
        return new RunPipeline(examples(sources, say), evaluator,
                new StageTrainer.Options(logEvery, keepCheckpoints, BUCKET_WINDOW, device, precision, recordBatches), say);
    }

    /** The examples of every task, from checked task and instruction files. */
    TaskExamples examples(TaskSourceOptions sources, Consumer<String> say) {
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        say.accept("data: " + c.dataDir());
        return new TaskExamples(c.tasks(), c.instructions(), c.dataDir(), formatter);
    }

    TaskEvaluator evaluator() {
        return evaluator;
    }
}
