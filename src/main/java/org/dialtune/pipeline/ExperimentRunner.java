package org.dialtune.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.eval.EvalSpec;
import org.dialtune.eval.TaskEvaluator;
import org.dialtune.task.ZeroShotSplit;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.model.Precision;
import org.dialtune.train.StageSpec;

/**
 * Runs an experiment grid, whole or one unit at a time (see {@link GridPlan}). A cell is (model,
 * condition, split, shots, seed, instructions); for each test task of its split the cell's model is the
 * condition's multi-task model — a stage unit, trained once per model/condition/split/instructions/seed
 * and shared by all shot counts — fine-tuned few-shot when shots &gt; 0, then evaluated. Every unit
 * writes only its own files ({@link UnitRecords}), so units may run at once on different machines into
 * one run directory; {@code results.csv} is assembled from the finished cells ({@link ResultAssembler}).
 * A rerun skips finished units and redoes an unfinished cell; interrupted multi-task pre-training resumes
 * from its checkpoint.
 * Few-shot model weights are deleted once scored (their logs and stage summaries stay).
 * Zero-shot cells also score the experiment's {@code evaluate_seen} tasks (tasks the split trains on),
 * marked {@code seen}: in-domain training should raise those, whatever it does for held-out tasks.
 */
public final class ExperimentRunner {
    private final RunPipeline pipeline;
    private final String commit;
    private final Consumer<String> say;
    /** Evaluation throughput of the cells this runner has run, by way of scoring, for the log. */
    private final org.dialtune.eval.EvaluationSpeed speed = new org.dialtune.eval.EvaluationSpeed();
    private final Map<String, String> environment;

    public ExperimentRunner(RunPipeline pipeline, String commit, Consumer<String> say) {
        this(pipeline, commit, say, Map.of());
    }

    /** @param environment where the Slurm job and array task ids are read from (the process environment) */
    public ExperimentRunner(RunPipeline pipeline, String commit, Consumer<String> say, Map<String, String> environment) {
        this.pipeline = pipeline;
        this.commit = commit;
        this.say = say;
        this.environment = Map.copyOf(environment);
    }

    /** The grid's units in this pipeline's precision, its split files checked against the tasks. */
    public GridPlan plan(ExperimentSpec x) {
        return GridPlan.of(x, pipeline.precision(), f -> pipeline.split(f).name());
    }

    /** Runs every unfinished cell in plan order, each stage when its first cell needs it, into {@code out}. */
    public void run(ExperimentSpec x, Path out) {
        out = out.toAbsolutePath().normalize();
        GridPlan plan = plan(x);
        for (Path splitFile : x.splits()) checkSeen(x, pipeline.split(splitFile));
        List<GridUnit> cells = plan.cells();
        for (int i = 0; i < cells.size(); i++) {
            GridUnit cell = cells.get(i);
            String progress = "[" + (i + 1) + "/" + cells.size() + "] " + cell.id();
            if (new UnitRecords(out, cell).done()) {
                say.accept(progress + ": done earlier, skipped");
                continue;
            }
            say.accept(progress);
            if (cell.needs() != null && !new UnitRecords(out, plan.unit(cell.needs())).done()) {
                runUnit(x, plan, plan.unit(cell.needs()), out);
            }
            runUnit(x, plan, cell, out);
            ResultAssembler.assemble(out, plan);
        }
        ResultAssembler.Assembled a = ResultAssembler.assemble(out, plan);
        if (!speed.isEmpty()) say.accept("evaluation speed (cells run now): " + speed.summary());
        say.accept("results: " + a.file() + " (" + a.rows() + " rows)");
    }

    /**
     * Runs one unit into {@code out}, holding its directory's lock: a finished unit is skipped, a cell whose
     * stage has not finished stops with an error naming it. The attempt is recorded with its provenance.
     */
    public void runUnit(ExperimentSpec x, GridPlan plan, GridUnit unit, Path out) {
        Path run = out.toAbsolutePath().normalize();
        UnitRecords records = new UnitRecords(run, unit);
        try (RunDirLock lock = RunDirLock.acquire(records.dir(), say)) {
            if (records.done()) {
                say.accept(unit.kind().label() + " " + unit.id() + ": finished earlier (" + records.dir().resolve(UnitRecords.DONE)
                        + "), skipped");
                return;
            }
            ZeroShotSplit split = pipeline.split(unit.splitFile());
            checkSeen(x, split);
            Path pretrained = unit.isStage() || unit.needs() == null ? x.models().get(unit.model())
                    : stageModel(x, run, plan.unit(unit.needs()), unit);
            Compute spent = unit.isStage() || unit.needs() == null ? Compute.NONE
                    : Compute.of(new UnitRecords(run, plan.unit(unit.needs())).doneRecord());
            JsonObject attempt = records.start(unit, commit, environment);
            try {
                JsonObject extra = new JsonObject();
                if (unit.isStage()) {
                    RunPipeline.Result trained = pretrain(x, unit, pretrained, x.conditions().get(unit.condition()),
                            run.resolve(unit.workDir()));
                    Path model = trained.finalModel();
                    extra.addProperty("model", run.relativize(model.toAbsolutePath().normalize()).toString());
                    extra.addProperty("flops", trained.flops());
                    extra.addProperty("trainable_params", trained.trainableParams());
                    records.finish(attempt, null, extra);
                } else {
                    List<ResultRow> rows = runCell(x, unit, unit.model() + precisionTag("@"), split, pretrained, spent,
                            run.resolve(unit.workDir()));
                    extra.addProperty("rows", rows.size());
                    records.finish(attempt, rows, extra);
                }
            } catch (RuntimeException | Error e) {
                records.fail(attempt, e);
                throw e;
            }
        }
    }

    /** The model a finished stage unit trained, or a one-line error saying to run that stage first. */
    private static Path stageModel(ExperimentSpec x, Path run, GridUnit stage, GridUnit cell) {
        JsonObject done = new UnitRecords(run, stage).doneRecord();
        if (done == null) {
            throw new UserError("cell " + cell.id() + " needs stage " + stage.id() + ", which has not finished (no "
                    + new UnitRecords(run, stage).dir().resolve(UnitRecords.DONE) + "): run it first (dialtune experiment run "
                    + x.file() + " --out " + run + " --unit '" + stage.id() + "'), or submit the grid, which orders them");
        }
        Path model = run.resolve(done.get("model").getAsString());
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new UserError(new UnitRecords(run, stage).dir().resolve(UnitRecords.DONE) + ": field \"model\": " + model
                    + " is not a checkpoint directory (deleted?): remove " + new UnitRecords(run, stage).dir()
                    + " to train the stage again");
        }
        return model;
    }

    /**
     * Cells and pre-training runs in fp16 are their own ({@code |fp16} in the cell id, {@code @fp16} after
     * the model's name in its rows): a grid resumed in another precision never continues the other's
     * checkpoints, and reports keep the two apart.
     */
    private String precisionTag(String separator) {
        Precision p = pipeline.precision();
        return p == Precision.FP32 ? "" : separator + p.label();
    }

    /**
     * Training compute behind a model: FLOPs summed over its stages (NaN if unknown), and the parameters its
     * last stage trained (-1 if unknown).
     */
    private record Compute(double flops, long trainableParams) {
        static final Compute NONE = new Compute(0, 0);

        /** What a stage unit's {@code done.json} recorded (units finished before FLOPs were counted: unknown). */
        static Compute of(JsonObject done) {
            return new Compute(done.has("flops") ? done.get("flops").getAsDouble() : Double.NaN,
                    done.has("trainable_params") ? done.get("trainable_params").getAsLong() : -1);
        }

        /** This model further trained by {@code r}. */
        Compute then(RunPipeline.Result r) {
            return new Compute(flops + r.flops(), r.trainableParams());
        }
    }

    private RunPipeline.Result pretrain(ExperimentSpec x, GridUnit unit, Path model, List<Path> stageFiles, Path dir) {
        if (stageFiles.isEmpty()) return new RunPipeline.Result(model, List.of(), 0, 0);
        List<StageSpec> stages = new ArrayList<>();
        for (Path f : stageFiles) {
            for (StageSpec s : RunSpec.load(f).stages()) {
                stages.add(withCompute(x, unit, s.withSplitFile(unit.splitFile()).withSeedAndInstructions(unit.seed(),
                        unit.instructions())));
            }
        }
        return pipeline.run(new RunSpec(stages, null), model, dir, true);
    }

    /** {@code stage} with the unit's method and FLOP budget, where the grid has those factors. */
    private static StageSpec withCompute(ExperimentSpec x, GridUnit unit, StageSpec stage) {
        StageSpec s = unit.method().isEmpty() ? stage : stage.withMethod(x.methods().get(unit.method()));
        return Double.isNaN(unit.budgetFlops()) ? s : s.withBudgetFlops(unit.budgetFlops());
    }

    private List<ResultRow> runCell(ExperimentSpec x, GridUnit unit, String modelId, ZeroShotSplit split, Path pretrained,
                                    Compute pretraining, Path dir) {
        String cell = unit.id();
        String condition = unit.condition();
        int shots = unit.shots();
        long seed = unit.seed();
        String instructions = unit.instructions();
        deleteTree(dir); // an unfinished cell starts over: its few-shot stages are short, unlike pre-training
        List<ResultRow> rows = new ArrayList<>();
        for (String task : split.test().stream().map(org.dialtune.task.Task::name).toList()) {
            long t0 = System.nanoTime();
            Path taskDir = dir.resolve(safe(task));
            Path model = pretrained;
            Compute spent = pretraining;
            if (shots > 0) {
                RunPipeline.Result fewShot = pipeline.run(new RunSpec(List.of(withCompute(x, unit,
                        fewShotStage(x, task, shots, seed, instructions))), null), pretrained, taskDir, true);
                model = fewShot.finalModel();
                spent = pretraining.then(fewShot);
            }
            EvalSpec eval = x.evaluate().withTasks(List.of(task)).withInstructions(instructions);
            TaskEvaluator.Evaluation e = pipeline.evaluate(eval, model, taskDir).get(0);
            speed.add(e);
            if (shots > 0) deleteWeights(taskDir);
            rows.add(new ResultRow(cell, modelId, condition, split.name(), shots, seed, instructions, task,
                    instructions.equals("on") ? "sampled" : "none", e.result().metric(), e.result().value(),
                    e.predictions().size(), (System.nanoTime() - t0) / 1e9, commit, ResultRow.HELD_OUT, spent.flops(),
                    spent.trainableParams(), unit.method(), unit.budgetFlops()));
        }
        if (shots == 0) {
            for (String task : x.evaluateSeen()) {
                long t0 = System.nanoTime();
                EvalSpec eval = x.evaluate().withTasks(List.of(task)).withSplit(x.seenSplit())
                        .withMaxExamples(x.seenMaxExamples()).withInstructions(instructions);
                TaskEvaluator.Evaluation e = pipeline.evaluate(eval, pretrained, dir.resolve(safe(task) + "-seen")).get(0);
                speed.add(e);
                rows.add(new ResultRow(cell, modelId, condition, split.name(), shots, seed, instructions, task,
                        instructions.equals("on") ? "sampled" : "none", e.result().metric(), e.result().value(),
                        e.predictions().size(), (System.nanoTime() - t0) / 1e9, commit, ResultRow.SEEN, pretraining.flops(),
                        pretraining.trainableParams(), unit.method(), unit.budgetFlops()));
            }
        }
        return rows;
    }

    /** A seen task must be one the split trains on; anything else would be mislabelled in the results. */
    private static void checkSeen(ExperimentSpec x, ZeroShotSplit split) {
        List<String> train = split.train().stream().map(org.dialtune.task.Task::name).toList();
        for (String task : x.evaluateSeen()) {
            if (!train.contains(task)) {
                throw new UserError(x.file() + ": field \"evaluate_seen.tasks\": " + task + " is not a training task of split "
                        + split.name() + " (" + split.file() + "); list only tasks from its \"train\" part: "
                        + String.join(", ", train));
            }
        }
    }

    private StageSpec fewShotStage(ExperimentSpec x, String task, int shots, long seed, String instructions) {
        JsonObject o = x.fewShot().deepCopy();
        for (String k : List.of("name", "tasks", "split", "few_shot", "seed", "instructions")) {
            if (o.has(k)) throw new UserError(x.file() + ": field \"few_shot." + k + "\" is set by the grid; remove it");
        }
        o.addProperty("name", "few-shot");
        JsonObject fs = new JsonObject();
        fs.addProperty("task", task);
        fs.add("k", new JsonPrimitive(shots));
        o.add("few_shot", fs);
        o.addProperty("seed", seed);
        o.addProperty("instructions", instructions);
        return StageSpec.parse(new SpecObject(x.file(), "few_shot", o));
    }

    /** Few-shot weights are large and never reused once scored: model/, best/ and checkpoints/ go; logs and stage.json stay. */
    private static void deleteWeights(Path taskDir) {
        try (Stream<Path> s = Files.walk(taskDir)) {
            for (Path d : s.filter(p -> Files.isDirectory(p)
                    && List.of("model", "best", "checkpoints").contains(p.getFileName().toString())).toList()) {
                deleteTree(d);
            }
        } catch (IOException e) {
            throw new UserError(taskDir + ": cannot clean up few-shot weights: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            org.dialtune.common.AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot delete: " + e.getMessage(), e);
        }
    }

    private static String safe(String s) {
        return GridUnit.safe(s);
    }
}
