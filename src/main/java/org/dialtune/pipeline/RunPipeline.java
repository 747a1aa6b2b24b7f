package org.dialtune.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.eval.EvalSpec;
import org.dialtune.eval.TaskEvaluator;
import org.dialtune.format.FitCounts;
import org.dialtune.format.FittedExamples;
import org.dialtune.format.FormattedExamples;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.SourceBudget;
import org.dialtune.format.TaskExamples;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.Precision;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.task.Task;
import org.dialtune.train.FewShotSampler;
import org.dialtune.train.StageSpec;
import org.dialtune.train.StageTrainer;
import org.dialtune.train.Validator;

/**
 * Runs the stages of a run in order (e.g. general MTL → in-domain MTL → few-shot), each starting from
 * the previous stage's model unless it names a checkpoint, then the optional evaluation. Layout:
 * {@code out/01-<stage>/…} per stage (see {@link StageTrainer}), {@code out/evaluation.json} and
 * {@code out/predictions/<task>.jsonl}. With resume, finished stages (those with a {@code stage.json})
 * are skipped and the interrupted one continues from its last checkpoint.
 */
public final class RunPipeline {
    /**
     * The run's outcome: the final model and, when asked, its evaluation; the training FLOPs of all its
     * stages (NaN when a stage finished before FLOPs were counted) and the parameters its last stage trained
     * (0 with no stage, -1 when unknown).
     */
    public record Result(Path finalModel, List<TaskEvaluator.Evaluation> evaluations, double flops, long trainableParams) {}

    /** What one finished stage left: its model, FLOPs and trainable parameters (from its {@code stage.json}). */
    private record StageOutcome(Path model, double flops, long trainableParams) {
        static StageOutcome read(Path dir) {
            JsonObject done = Json.parseFile(dir.resolve("stage.json")).getAsJsonObject();
            return new StageOutcome(dir.resolve("model"), done.has("flops") ? done.get("flops").getAsDouble() : Double.NaN,
                    done.has("trainable_params") ? done.get("trainable_params").getAsLong() : -1);
        }
    }

    private final TaskExamples source;
    private final TaskEvaluator evaluator;
    private final StageTrainer.Options options;
    private final Consumer<String> say;

    public RunPipeline(TaskExamples source, TaskEvaluator evaluator, StageTrainer.Options options, Consumer<String> say) {
        this.source = source;
        this.evaluator = evaluator;
        this.options = options;
        this.say = say;
    }

    /** The precision the pipeline trains and evaluates in. */
    public Precision precision() {
        return options.precision();
    }

    public Result run(RunSpec run, Path startModel, Path out, boolean resume) {
        Path current = startModel;
        double flops = 0;
        long trainable = 0;
        for (int i = 0; i < run.stages().size(); i++) {
            StageSpec stage = run.stages().get(i);
            Path dir = out.resolve(String.format("%02d-%s", i + 1, stage.name().replaceAll("[^A-Za-z0-9._-]", "_")));
            Path init = stage.init().equals(StageSpec.INIT_PREVIOUS) ? current : Path.of(stage.init());
            if (resume && Files.isRegularFile(dir.resolve("stage.json"))) {
                say.accept("stage " + stage.name() + ": already finished, skipped (" + dir.resolve("model") + ")");
            } else {
                runStage(stage, init, dir, resume);
            }
            StageOutcome o = StageOutcome.read(dir);
            current = o.model();
            flops += o.flops();
            trainable = o.trainableParams();
        }
        List<TaskEvaluator.Evaluation> evaluations = run.evaluate() == null ? List.of() : evaluate(run.evaluate(), current, out);
        return new Result(current, evaluations, flops, trainable);
    }

    private void runStage(StageSpec stage, Path init, Path dir, boolean resume) {
        try (Seq2SeqTokenizer tokenizer = Seq2SeqTokenizer.load(init)) {
            Map<String, List<Seq2SeqExample>> pool = new LinkedHashMap<>();
            Validator validator = null;
            long seed = stage.seed();
            // sources fitted to what the trainer feeds the model, so it never cuts their end
            SourceBudget budget = SourceBudget.of(tokenizer, stage.batch().maxSourceTokens(),
                    ModelFamilies.readConfig(init).maxPositions());
            FitCounts fit = FitCounts.none(budget.maxTokens());
            if (stage.fewShot() != null) {
                Task task = source.task(stage.fewShot().task());
                FormattedExamples all = source.formatted(task.name(), "train",
                        TaskExamples.policy(stage.instructions(), seed, "stage " + stage.name()));
                FewShotSampler.Sample<Seq2SeqExample> drawn = FewShotSampler.sample(all.examples(), stage.fewShot().k(), seed,
                        task.isClassification() ? Seq2SeqExample::target : null, task.name() + "/train");
                FittedExamples train = all.fit(drawn.train(), budget);
                FittedExamples validation = all.fit(drawn.validation(), budget);
                FewShotSampler.Sample<Seq2SeqExample> sample = new FewShotSampler.Sample<>(train.examples(),
                        validation.examples());
                pool.put(task.name(), sample.train());
                fit = train.counts().plus(validation.counts());
                TaskEvaluator.Settings settings = TaskEvaluator.Settings.defaults().withMaxSourceTokens(budget.maxTokens());
                validator = model -> evaluator.evaluate(model, init, tokenizer, task, sample.validation(), settings)
                        .result().value();
                say.accept("stage " + stage.name() + ": " + stage.fewShot().k() + "-shot on " + task.name()
                        + " (" + sample.validation().size() + " validation examples, seed " + seed + ")");
            } else {
                for (String t : stageTasks(stage)) {
                    FittedExamples examples = source.examples(t, "train",
                            TaskExamples.policy(stage.instructions(), seed, "stage " + stage.name()), budget);
                    pool.put(t, examples.examples());
                    fit = fit.plus(examples.counts());
                }
                say.accept("stage " + stage.name() + ": " + pool.size() + " tasks, "
                        + pool.values().stream().mapToInt(List::size).sum() + " training examples");
            }
            say.accept("stage " + stage.name() + ": sources " + fit.describe());
            StageTrainer trainer = new StageTrainer(stage, options);
            StageTrainer.Result r = trainer.run(init, tokenizer, pool, validator, dir, resume);
            JsonObject done = new JsonObject();
            done.addProperty("stage", stage.name());
            done.addProperty("steps", r.steps());
            done.addProperty("final_loss", r.losses().isEmpty() ? Double.NaN : r.losses().get(r.losses().size() - 1));
            if (r.bestScore() != null) {
                done.addProperty("best_validation_score", r.bestScore());
                done.addProperty("best_step", r.bestStep());
            }
            done.addProperty("stopped_early", r.stoppedEarly());
            done.addProperty("stop_reason", r.stopReason().label());
            done.addProperty("flops", r.flops());
            if (stage.budgetFlops() != null) done.addProperty("budget_flops", stage.budgetFlops());
            done.addProperty("trainable_params", r.trainableParams());
            done.addProperty("truncated_sources", r.truncatedSources());
            done.addProperty("truncated_targets", r.truncatedTargets());
            done.add("source_fit", fit.toJson());
            AtomicFiles.writeString(dir.resolve("stage.json"), Json.PRETTY.toJson(done) + "\n");
            say.accept("stage " + stage.name() + ": done, " + r.steps() + " steps" + (r.stoppedEarly() ? " (stopped early)" : "")
                    + (r.stopReason() == StageTrainer.StopReason.BUDGET_FLOPS ? " (FLOP budget reached)" : "")
                    + ", " + org.dialtune.train.FlopCounter.format(r.flops()) + " FLOPs, "
                    + r.trainableParams() + " trainable parameters"
                    + (r.truncatedSources() + r.truncatedTargets() > 0 ? ", truncated " + r.truncatedSources()
                    + " sources / " + r.truncatedTargets() + " targets" : "") + " → " + r.modelDir());
        }
    }

    private List<String> stageTasks(StageSpec stage) {
        if (!stage.tasks().isEmpty()) return stage.tasks();
        org.dialtune.task.ZeroShotSplit split = split(Path.of(stage.split().file()));
        return (stage.split().part().equals("test") ? split.test() : split.train()).stream().map(Task::name).toList();
    }

    /** A zero-shot split file, checked against the task files. */
    public org.dialtune.task.ZeroShotSplit split(Path file) {
        return source.split(file);
    }

    /** Scores {@code model} on the evaluation tasks; writes evaluation.json and per-task predictions. */
    public List<TaskEvaluator.Evaluation> evaluate(EvalSpec spec, Path model, Path out) {
        List<TaskEvaluator.Evaluation> results = new ArrayList<>();
        List<FitCounts> fits = new ArrayList<>();
        try (Seq2SeqLm m = Checkpoint.load(model, options.device()).model();
             Seq2SeqTokenizer tokenizer = Seq2SeqTokenizer.load(model)) {
            m.setPrecision(options.precision());
            SourceBudget budget = SourceBudget.of(tokenizer, spec.settings().maxSourceTokens(), m.config().maxPositions());
            for (String name : spec.tasks()) {
                Task task = source.task(name);
                FormattedExamples all = source.formatted(name, spec.split(), TaskExamples.policy(spec.instructions(), 0, "evaluate"));
                FittedExamples chosen = all.fit(spec.subset(all.examples()), budget);
                List<Seq2SeqExample> examples = chosen.examples();
                FitCounts fit = chosen.counts();
                TaskEvaluator.Evaluation e = evaluator.evaluate(m, model, tokenizer, task, examples, spec.settings());
                say.accept(TaskEvaluator.describe(e) + "; sources " + fit.describe());
                results.add(e);
                fits.add(fit);
                AtomicFiles.writeText(out.resolve("predictions").resolve(name + ".jsonl"), w -> {
                    for (TaskEvaluator.Prediction p : e.predictions()) w.write(Json.COMPACT.toJson(p) + "\n");
                });
            }
        }
        if (results.size() > 1) {
            org.dialtune.eval.EvaluationSpeed speed = new org.dialtune.eval.EvaluationSpeed();
            results.forEach(speed::add);
            say.accept("evaluation speed: " + speed.summary());
        }
        JsonArray all = new JsonArray();
        for (int i = 0; i < results.size(); i++) {
            TaskEvaluator.Evaluation e = results.get(i);
            JsonObject o = new JsonObject();
            o.addProperty("task", e.task());
            o.addProperty("split", spec.split());
            o.addProperty("metric", e.result().metric());
            o.addProperty("value", e.result().value());
            o.addProperty("examples", e.predictions().size());
            o.add("counts", Json.COMPACT.toJsonTree(e.result().counts()));
            o.add("settings", Json.COMPACT.toJsonTree(e.result().settings()));
            if (!e.result().alternatives().isEmpty()) {
                o.add("alternatives", Json.COMPACT.toJsonTree(e.result().alternatives()));
            }
            o.add("source_fit", fits.get(i).toJson());
            o.addProperty("truncated_sources", e.truncatedSources());
            o.addProperty("seconds", e.seconds());
            all.add(o);
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("model", model.toString());
        doc.add("results", all);
        AtomicFiles.writeString(out.resolve("evaluation.json"), Json.PRETTY.toJson(doc) + "\n");
        return results;
    }
}
