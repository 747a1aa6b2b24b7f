package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.GitInfo;
import org.dialtune.common.RunDirLock;
import org.dialtune.eval.experiment.ExperimentRunner;
import org.dialtune.eval.experiment.ExperimentSpec;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.train.RunPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune demo}: the offline end-to-end job of the README — a small random BART with the real
 * tokenizer, in-domain multi-task training with instructions, zero- and 10-shot evaluation on two
 * held-out tasks — run through the same experiment machinery as real studies (eval/experiments/demo.json),
 * ending with the same report ({@code report.md}, {@code report.html}) as {@code dialtune report}.
 */
@Command(name = "demo", description = {
        "Offline CPU demo: init a tiny BART, train it on dialogue tasks with instructions, evaluate on held-out tasks.",
        "Rerunning continues where it stopped; --fresh starts over. See eval/demo/README.md."})
public final class DemoCommand implements Runnable {
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/demo in the installation).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Datasets to read (default: the excerpts bundled in eval/demo/data).")
    Path data;

    @Option(names = "--fresh", description = "Delete an earlier demo run in --out first.")
    boolean fresh;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    DemoCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        Path home = DialtuneHome.home();
        Path dir = (out != null ? out : home.resolve("runs/demo")).toAbsolutePath().normalize();
        Path dataDir = (data != null ? data : home.resolve("eval/demo/data")).toAbsolutePath().normalize();
        PrintWriter o = spec.commandLine().getOut();
        try (RunDirLock lock = RunDirLock.acquire(dir, spec.commandLine().getErr()::println)) {
            if (fresh) deleteContents(dir, lock.file());
            runDemo(home, dir, dataDir, o);
        }
    }

    private void runDemo(Path home, Path dir, Path dataDir, PrintWriter o) {
        Path model = dir.resolve("model");
        if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
            long params = ModelInitCommand.writeRandom(home.resolve("eval/demo/tiny-config.json"),
                    home.resolve("eval/demo/bart-tokenizer/tokenizer.json"), 1, model);
            o.println("initialised a random BART (" + params + " parameters) with the BART tokenizer → " + model);
        }
        ExperimentSpec x = ExperimentSpec.load(home.resolve("eval/experiments/demo.json"), home)
                .withModels(Map.of("tiny", model));
        TaskSourceOptions sources = new TaskSourceOptions();
        sources.data = dataDir;
        RunPipeline pipeline = pipelines.create(sources, ai.djl.Device.cpu(), org.dialtune.model.Precision.FP32, 50, 1, o::println);
        new ExperimentRunner(pipeline, GitInfo.commit(home), o::println).run(x, dir);
        printTable(new ResultStore(dir.resolve("results.csv")).read(), o);
        org.dialtune.eval.report.RunAnalysis analysis = org.dialtune.eval.report.RunAnalysis.of(dir,
                org.dialtune.eval.stats.StatsConfig.DEFAULT, java.time.Instant.now());
        List<Path> report = org.dialtune.eval.report.RunReport.write(analysis, dir);
        o.println("results: " + dir.resolve("results.csv") + "; report: " + report.get(1));
    }

    /** Task × (condition, shots) means over seeds. */
    static void printTable(List<ResultRow> rows, PrintWriter o) {
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, double[]>> byTask = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            String col = (r.stages().equals("none") ? "no MTL" : r.stages() + " MTL") + ", " + r.shots() + "-shot";
            columns.add(col);
            double[] acc = byTask.computeIfAbsent(r.task() + " (" + r.metric() + ")", k -> new LinkedHashMap<>())
                    .computeIfAbsent(col, k -> new double[2]);
            acc[0] += r.value();
            acc[1]++;
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-38s", "task (metric)"));
        for (String col : columns) head.append(String.format(Locale.ROOT, " | %-20s", col));
        o.println(head);
        o.println("-".repeat(head.length()));
        for (var e : byTask.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-38s", e.getKey()));
            for (String col : columns) {
                double[] a = e.getValue().get(col);
                line.append(String.format(Locale.ROOT, " | %-20s", a == null ? "-" : String.format(Locale.ROOT, "%.4f", a[0] / a[1])));
            }
            o.println(line);
        }
    }

    /** Empties the run directory for --fresh, keeping the lock this run holds on it. */
    private static void deleteContents(Path dir, Path lockFile) {
        try (java.util.stream.Stream<Path> children = Files.list(dir)) {
            for (Path p : children.toList()) if (!p.equals(lockFile)) org.dialtune.common.AtomicFiles.deleteTree(p);
        } catch (java.io.IOException e) {
            throw new org.dialtune.common.UserError(dir + ": cannot delete: " + e.getMessage(), e);
        }
    }
}
