package org.dialtune.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.eval.EvalSpec;
import org.dialtune.eval.TaskEvaluator;
import org.dialtune.task.ZeroShotSplit;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.model.Precision;
import org.dialtune.train.StageSpec;

/**
 * Runs an experiment grid into {@code out/results.csv}. A cell is (model, condition, split, shots,
 * seed, instructions); for each test task of its split the cell's model is the condition's multi-task
 * model (trained once per model/condition/split/instructions/seed and shared by all shot counts),
 * fine-tuned few-shot when shots &gt; 0, then evaluated. A cell's rows are appended together, so a
 * rerun skips finished cells and redoes an unfinished one; interrupted multi-task pre-training resumes
 * from its checkpoint.
 * Few-shot model weights are deleted once scored (their logs and stage summaries stay).
 * Zero-shot cells also score the experiment's {@code evaluate_seen} tasks (tasks the split trains on),
 * marked {@code seen}: in-domain training should raise those, whatever it does for held-out tasks.
 */
public final class ExperimentRunner {
    private final RunPipeline pipeline;
    private final String commit;
    private final Consumer<String> say;

    public ExperimentRunner(RunPipeline pipeline, String commit, Consumer<String> say) {
        this.pipeline = pipeline;
        this.commit = commit;
        this.say = say;
    }

    /** Number of cells in the grid. */
    public static int cells(ExperimentSpec x) {
        return x.models().size() * x.conditions().size() * x.splits().size() * x.instructions().size()
                * x.seeds().size() * x.shots().size();
    }

    public void run(ExperimentSpec x, Path out) {
        ResultStore store = new ResultStore(out.resolve("results.csv"));
        Set<String> finished = store.finishedCells();
        int total = cells(x);
        int done = 0;
        for (var model : x.models().entrySet()) {
            for (var condition : x.conditions().entrySet()) {
                for (Path splitFile : x.splits()) {
                    ZeroShotSplit split = pipeline.split(splitFile);
                    checkSeen(x, split);
                    for (String instructions : x.instructions()) {
                        for (long seed : x.seeds()) {
                            Path pretrained = null;
                            for (int shots : x.shots()) {
                                done++;
                                String cell = String.join("|", model.getKey(), condition.getKey(), split.name(),
                                        "k" + shots, "s" + seed, "i-" + instructions) + precisionTag("|");
                                if (finished.contains(cell)) {
                                    say.accept("[" + done + "/" + total + "] " + cell + ": done earlier, skipped");
                                    continue;
                                }
                                say.accept("[" + done + "/" + total + "] " + cell);
                                if (pretrained == null) {
                                    pretrained = pretrain(model.getValue(), condition.getValue(), splitFile, instructions,
                                            seed, out.resolve("pretrain").resolve(safe(String.join("-", model.getKey(),
                                                    condition.getKey(), split.name(), "i" + instructions, "s" + seed)
                                                    + precisionTag("-"))));
                                }
                                store.appendCell(runCell(x, cell, model.getKey() + precisionTag("@"), condition.getKey(), split, shots, seed,
                                        instructions, pretrained, out.resolve("cells").resolve(safe(cell))));
                            }
                        }
                    }
                }
            }
        }
        say.accept("results: " + store.file() + " (" + store.read().size() + " rows)");
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

    private Path pretrain(Path model, List<Path> stageFiles, Path splitFile, String instructions, long seed, Path dir) {
        if (stageFiles.isEmpty()) return model;
        List<StageSpec> stages = new ArrayList<>();
        for (Path f : stageFiles) {
            for (StageSpec s : RunSpec.load(f).stages()) {
                stages.add(s.withSplitFile(splitFile).withSeedAndInstructions(seed, instructions));
            }
        }
        return pipeline.run(new RunSpec(stages, null), model, dir, true).finalModel();
    }

    private List<ResultRow> runCell(ExperimentSpec x, String cell, String modelId, String condition, ZeroShotSplit split,
                                    int shots, long seed, String instructions, Path pretrained, Path dir) {
        deleteTree(dir); // an unfinished cell starts over: its few-shot stages are short, unlike pre-training
        List<ResultRow> rows = new ArrayList<>();
        for (String task : split.test().stream().map(org.dialtune.task.Task::name).toList()) {
            long t0 = System.nanoTime();
            Path taskDir = dir.resolve(safe(task));
            Path model = pretrained;
            if (shots > 0) {
                model = pipeline.run(new RunSpec(List.of(fewShotStage(x, task, shots, seed, instructions)), null),
                        pretrained, taskDir, true).finalModel();
            }
            EvalSpec eval = x.evaluate().withTasks(List.of(task)).withInstructions(instructions);
            TaskEvaluator.Evaluation e = pipeline.evaluate(eval, model, taskDir).get(0);
            if (shots > 0) deleteWeights(taskDir);
            rows.add(new ResultRow(cell, modelId, condition, split.name(), shots, seed, instructions, task,
                    instructions.equals("on") ? "sampled" : "none", e.result().metric(), e.result().value(),
                    e.predictions().size(), (System.nanoTime() - t0) / 1e9, commit));
        }
        if (shots == 0) {
            for (String task : x.evaluateSeen()) {
                long t0 = System.nanoTime();
                EvalSpec eval = x.evaluate().withTasks(List.of(task)).withSplit(x.seenSplit())
                        .withMaxExamples(x.seenMaxExamples()).withInstructions(instructions);
                TaskEvaluator.Evaluation e = pipeline.evaluate(eval, pretrained, dir.resolve(safe(task) + "-seen")).get(0);
                rows.add(new ResultRow(cell, modelId, condition, split.name(), shots, seed, instructions, task,
                        instructions.equals("on") ? "sampled" : "none", e.result().metric(), e.result().value(),
                        e.predictions().size(), (System.nanoTime() - t0) / 1e9, commit, ResultRow.SEEN));
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
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
