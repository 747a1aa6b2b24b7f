package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.GitInfo;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.eval.EvalSpec;
import org.dialtune.eval.TaskEvaluator;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.format.Instruction;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.FittedExamples;
import org.dialtune.format.FormattedExamples;
import org.dialtune.format.SourceBudget;
import org.dialtune.format.TaskExamples;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune instructions compare}: scores every instruction wording of each task separately
 * (one row per task × wording × seed in {@code OUT/results.csv}; a seed draws its own sample of the
 * split), then runs the wording analysis ({@code instructions analyze}) on those rows. Rerunning skips
 * the (task, wording, seed) rows already written.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Evaluate a model with each instruction wording of each task, then rank the wordings and "
                + "relate scores to wording features (instructions.csv, instructions.html).")
public final class InstructionsCompareCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint to evaluate.")
    Path model;

    @Option(names = "--tasks", required = true, split = ",", paramLabel = "A,B", description = "Tasks whose wordings to compare.")
    List<String> tasks;

    @Option(names = "--split", defaultValue = "test", description = "Split to score (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--max-examples", defaultValue = "200", paramLabel = "N",
            description = "Examples per (task, seed), drawn with the seed; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxExamples;

    @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", paramLabel = "S,S", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--scoring", defaultValue = "task", paramLabel = "task|rank|generate",
            description = "How classification tasks are scored (default: ${DEFAULT-VALUE}).")
    TaskEvaluator.ClassificationScoring scoring;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu", description = "Where to run (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results.csv and the analysis go.")
    Path out;

    @Mixin
    TaskSourceOptions sources;

    @Mixin
    StatsOptions stats;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    InstructionsCompareCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        if (maxExamples < 0) throw new UserError("--max-examples must be >= 0 (0 = all), got " + maxExamples);
        if (!Files.isRegularFile(model.resolve("config.json"))) throw new UserError("--model " + model + ": not a checkpoint directory");
        PrintWriter o = spec.commandLine().getOut();
        try (RunDirLock lock = RunDirLock.acquire(out, spec.commandLine().getErr()::println)) {
            compare(o);
        }
    }

    private void compare(PrintWriter o) {
        TaskExamples examples = pipelines.examples(sources, o::println);
        EvalSpec eval = new EvalSpec(tasks, split, maxExamples, scoring, "off",
                TaskEvaluator.Settings.defaults().withScoring(scoring));
        ResultStore store = new ResultStore(out.resolve("results.csv"));
        Set<String> done = store.finishedCells();
        String commit = GitInfo.commit(DialtuneHome.home());
        String modelId = model.toAbsolutePath().normalize().getFileName().toString();
        try (Seq2SeqLm m = Checkpoint.load(model, Devices.parse(device)).model();
             Seq2SeqTokenizer tokenizer = Seq2SeqTokenizer.load(model)) {
            SourceBudget budget = SourceBudget.of(tokenizer, eval.settings().maxSourceTokens(), m.config().maxPositions());
            for (String name : tasks) {
                Task task = examples.task(name);
                for (Instruction wording : examples.instructions(name).instructions()) {
                    FormattedExamples all = examples.formatted(name, split, InstructionPolicy.fixed(wording.id()));
                    for (long seed : seeds) {
                        String cell = String.join("|", "compare", modelId, name, wording.id(), "s" + seed);
                        if (done.contains(cell)) continue;
                        long t0 = System.nanoTime();
                        FittedExamples fitted = all.fit(eval.subset(all.examples(), seed), budget);
                        TaskEvaluator.Evaluation e = pipelines.evaluator().evaluate(m, model, tokenizer, task,
                                fitted.examples(), eval.settings());
                        o.println(name + " / " + wording.id() + " / seed " + seed + ": " + e.result().summaryLine()
                                + "; sources " + fitted.counts().describe());
                        store.appendCell(List.of(new ResultRow(cell, modelId, "none", split, 0, seed, "fixed", name,
                                wording.id(), e.result().metric(), e.result().value(), e.predictions().size(),
                                (System.nanoTime() - t0) / 1e9, commit)));
                    }
                }
            }
        }
        List<ResultRow> rows = new ArrayList<>(store.read());
        rows.removeIf(r -> !tasks.contains(r.task()));
        InstructionsAnalyzeCommand.analyzeAndWrite(rows, sources.instructionDirs().get(0), stats.config(), out,
                store.file().toString(), o);
    }
}
