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
import org.dialtune.pipeline.ExperimentRunner;
import org.dialtune.pipeline.ExperimentSpec;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.pipeline.RunPipeline;
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
        List<ResultRow> rows = new ResultStore(dir.resolve("results.csv")).read();
        printTable(rows, majorityRates(dir, rows), o);
        o.println(HELD_OUT_NOTE);
        org.dialtune.eval.report.RunAnalysis analysis = org.dialtune.eval.report.RunAnalysis.of(dir,
                org.dialtune.eval.stats.StatsConfig.DEFAULT, java.time.Instant.now());
        List<Path> report = org.dialtune.eval.report.RunReport.write(analysis, dir);
        o.println("results: " + dir.resolve("results.csv") + "; report: " + report.get(1));
    }

    /** Why the held-out rows stay near chance, printed under the table. */
    static final String HELD_OUT_NOTE = "held-out tasks: a tiny model trained from random weights for minutes learns"
            + " its training tasks' words and labels, not the general language skill that transfers to new tasks;"
            + " held-out gains need a pretrained checkpoint (eval/experiments/reference-study.json).";

    /**
     * Task × (condition, shots) means over seeds; seen tasks (trained on in the in-domain condition) are
     * marked, and classification rows show the majority-class rate of the scored examples — the best a
     * model that ignores its input can do, and never below 1 / number of options.
     */
    static void printTable(List<ResultRow> rows, Map<String, Double> chance, PrintWriter o) {
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, double[]>> byTask = new LinkedHashMap<>();
        Map<String, String> taskOf = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            String col = (r.stages().equals("none") ? "no MTL" : r.stages() + " MTL") + ", " + r.shots() + "-shot";
            columns.add(col);
            String label = r.task() + " (" + r.metric() + (r.seen() ? ", seen" : "") + ")";
            taskOf.put(label, r.task());
            double[] acc = byTask.computeIfAbsent(label, k -> new LinkedHashMap<>()).computeIfAbsent(col, k -> new double[2]);
            acc[0] += r.value();
            acc[1]++;
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-46s", "task (metric)"));
        for (String col : columns) head.append(String.format(Locale.ROOT, " | %-22s", col));
        head.append(" | chance");
        o.println(head);
        o.println("-".repeat(head.length()));
        for (var e : byTask.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-46s", e.getKey()));
            for (String col : columns) {
                double[] a = e.getValue().get(col);
                line.append(String.format(Locale.ROOT, " | %-22s", a == null ? "-" : String.format(Locale.ROOT, "%.4f", a[0] / a[1])));
            }
            Double c = chance.get(taskOf.get(e.getKey()));
            line.append(" | ").append(c == null ? "-" : String.format(Locale.ROOT, "%.4f", c));
            o.println(line);
        }
    }

    /**
     * Per classification task, the majority-class rate of the examples it was scored on, read from the
     * predictions the evaluation wrote (every cell scores the same seeded examples of a task).
     */
    static Map<String, Double> majorityRates(Path dir, List<ResultRow> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        Set<String> classification = new LinkedHashSet<>();
        for (ResultRow r : rows) if (r.metric().endsWith("accuracy")) classification.add(r.task());
        if (classification.isEmpty() || !Files.isDirectory(dir.resolve("cells"))) return out;
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("cells"))) {
            for (Path f : files.filter(p -> p.getParent().getFileName().toString().equals("predictions")).toList()) {
                String task = f.getFileName().toString().replaceFirst("\\.jsonl$", "");
                if (!classification.contains(task) || out.containsKey(task)) continue;
                Map<String, Integer> counts = new java.util.HashMap<>();
                int n = 0;
                for (String line : Files.readAllLines(f)) {
                    if (line.isBlank()) continue;
                    counts.merge(com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("target").getAsString(), 1, Integer::sum);
                    n++;
                }
                if (n > 0) out.put(task, counts.values().stream().mapToInt(Integer::intValue).max().getAsInt() / (double) n);
            }
        } catch (java.io.IOException e) {
            throw new org.dialtune.common.UserError(dir.resolve("cells") + ": cannot read predictions: " + e.getMessage(), e);
        }
        return out;
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
