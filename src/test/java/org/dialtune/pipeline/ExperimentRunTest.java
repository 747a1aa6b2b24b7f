package org.dialtune.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dialtune.cli.CliRunner;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny grid: 2 test tasks × shots {0, 10} × 2 seeds (× 2 conditions), its report, then a resume. */
class ExperimentRunTest {
    @TempDir Path dir;

    @Test
    void tinyGridWritesTraceableRowsAndResumeSkipsFinishedCells() throws IOException {
        Path data = SharedData.require("datasets");
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
        String grid = Files.readString(Path.of("eval/experiments/tiny-grid.json"))
                .replace("runs/tiny-model", model.toString())
                .replace("eval/", Path.of("eval").toAbsolutePath() + "/");
        Path spec = dir.resolve("grid.json");
        Files.writeString(spec, grid);
        Path out = dir.resolve("run");
        String[] args = {"experiment", "run", spec.toString(), "--out", out.toString(), "--data", data.toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString()};

        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("experiment tiny-grid: 8 cells"), r.out());
        // evaluation speed, per task and per way of scoring (rank scoring of options; generation)
        assertTrue(r.out().lines().anyMatch(l -> l.matches(
                ".*clinc150-intent: rank_accuracy = .*; 4 examples in [0-9.]+ s \\([0-9.]+ examples/s, rank scoring\\);.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches(
                ".*spc-persona-response: rouge_l = .*; 4 examples in [0-9.]+ s \\([0-9.]+ examples/s, generation\\);.*")), r.out());
        // and summed per way of scoring over the cells: 8 cells × 2 test tasks (one of each kind) + 4 seen evaluations
        assertTrue(r.out().lines().anyMatch(l -> l.matches("evaluation speed \\(cells run now\\): generation: 8 evaluations, "
                + "32 examples, [0-9.]+ examples/s; rank scoring: 12 evaluations, 56 examples, [0-9.]+ examples/s")), r.out());
        List<ResultRow> rows = new ResultStore(out.resolve("results.csv")).read();
        assertEquals(20, rows.size(), "8 cells × 2 test tasks + 4 zero-shot cells × 1 seen task");
        assertEquals(Set.of("clinc150-intent", "spc-persona-response"),
                rows.stream().filter(row -> !row.seen()).map(ResultRow::task).collect(Collectors.toSet()));
        List<ResultRow> seen = rows.stream().filter(ResultRow::seen).toList();
        assertEquals(4, seen.size(), "evaluate_seen is scored in zero-shot cells only");
        for (ResultRow row : seen) {
            assertEquals("banking77-intent", row.task());
            assertEquals(0, row.shots());
            assertEquals(6, row.examples(), "evaluate_seen.max_examples, not evaluate's 4");
        }
        assertEquals(Set.of(0, 10), rows.stream().map(ResultRow::shots).collect(Collectors.toSet()));
        assertEquals(Set.of(1L, 2L), rows.stream().map(ResultRow::seed).collect(Collectors.toSet()));
        assertEquals(Set.of("none", "in-domain"), rows.stream().map(ResultRow::stages).collect(Collectors.toSet()));
        for (ResultRow row : rows) {
            assertEquals(row.task().equals("spc-persona-response") ? "rouge_l" : "rank_accuracy", row.metric());
            assertTrue(row.value() >= 0 && row.value() <= 1, row.toString());
            assertEquals(row.seen() ? 6 : 4, row.examples());
            assertEquals("sampled", row.instructionId());
            assertTrue(!row.commit().isEmpty());
        }
        // every row carries the training FLOPs behind its model: none untrained; the in-domain stage's total
        // (its stage.json) zero-shot; that plus the few-shot stage's (this task's stage.json) with shots
        for (ResultRow row : rows) {
            double pretraining = row.stages().equals("none") ? 0 : stageFlops(out.resolve("pretrain/tiny-in-domain-demo-ion-s"
                    + row.seed() + "/01-in-domain/stage.json"));
            double fewShot = row.shots() == 0 ? 0 : stageFlops(out.resolve("cells/" + GridUnit.safe(row.cell()) + "/"
                    + GridUnit.safe(row.task()) + "/01-few-shot/stage.json"));
            assertEquals(pretraining + fewShot, row.flops(), 1e-9 * row.flops(), row.toString());
            assertTrue(row.stages().equals("none") && row.shots() == 0 ? row.flops() == 0 : row.flops() > 1e6, row.toString());
            assertEquals(row.stages().equals("none") && row.shots() == 0 ? 0 : 1, Long.signum(row.trainableParams()), row.toString());
        }
        // few-shot weights are cleaned up after scoring; the stage summaries stay
        try (var s = Files.walk(out.resolve("cells"))) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".safetensors")));
        }

        CliRunner.Result report = CliRunner.run("report", out.toString(), "--resamples", "200");
        assertEquals(0, report.exitCode(), report.err());
        String md = Files.readString(out.resolve("report.md"));
        // seen rows stay out of the factor gains: the pair counts are those of the held-out tasks alone;
        // 8 pairs per factor, in 2 independent units (a seed's in-domain model serves both shot counts and
        // both tasks; its few-shot samples serve both conditions), one row per metric with its 4 pairs
        for (String metric : List.of("rank\\_accuracy", "rouge\\_l")) { // Markdown escapes the underscore
            assertTrue(md.contains("| In-domain MTL | with in-domain vs without in-domain | " + metric + " | 4 | 2 | 1 |"), md);
            assertTrue(md.contains("| Shots (10 vs 0) | 10-shot vs 0-shot | " + metric + " | 4 | 2 | 1 |"), md);
        }
        assertTrue(md.contains("8 pairs over 2 tasks in 2 independent units"), md);
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));

        CliRunner.Result again = CliRunner.run(args);
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(8, again.out().lines().filter(l -> l.endsWith("done earlier, skipped")).count(), again.out());
        assertEquals(rows, new ResultStore(out.resolve("results.csv")).read());

        // the same grid (cut to zero-shot, one seed) in fp16: its own cells and model label, nothing skipped
        Path fp16Spec = dir.resolve("grid-fp16.json");
        Files.writeString(fp16Spec, grid.replace("\"seeds\": [1, 2]", "\"seeds\": [1]").replace("\"shots\": [0, 10]", "\"shots\": [0]"));
        String[] fp16 = {"experiment", "run", fp16Spec.toString(), "--out", out.toString(), "--data", data.toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString(), "--precision", "fp16"};
        CliRunner.Result half = CliRunner.run(fp16);
        assertEquals(0, half.exitCode(), half.err() + half.out());
        assertTrue(half.out().contains("[1/2] tiny|none|demo|k0|s1|i-on|fp16"), half.out());
        List<ResultRow> all = new ResultStore(out.resolve("results.csv")).read();
        assertEquals(26, all.size(), "20 fp32 rows and 2 fp16 cells × (2 test tasks + 1 seen task)");
        assertEquals(6, all.stream().filter(row -> row.model().equals("tiny@fp16") && row.cell().endsWith("|fp16")).count());
    }

    /**
     * The methods × budgets experiment, cut to its smallest: the four methods, two budgets of a few steps,
     * a few examples, the bundled demo excerpts; every row says its method, budget and what was spent,
     * and the report draws score against FLOPs per method.
     */
    @Test
    void methodsTimesBudgetsRunsEndToEndAndIsCharted() throws IOException {
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
        String grid = Files.readString(Path.of("eval/experiments/tiny-methods-budgets.json"))
                .replace("runs/tiny-model", model.toString())
                .replace("[3e11, 1e12, 3e12]", "[5e9, 1.5e10]")
                .replace("\"max_examples\": 20", "\"max_examples\": 4").replace("\"max_examples\": 0", "\"max_examples\": 6")
                .replace("eval/", Path.of("eval").toAbsolutePath() + "/");
        Path spec = dir.resolve("methods.json");
        Files.writeString(spec, grid);
        Path out = dir.resolve("methods-run");
        CliRunner.Result r = CliRunner.run("experiment", "run", spec.toString(), "--out", out.toString(), "--data",
                Path.of("eval/demo/data").toAbsolutePath().toString(), "--tasks-dir", Path.of("tasks").toAbsolutePath().toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("experiment tiny-methods-budgets: 8 cells"), r.out());
        List<ResultRow> rows = new ResultStore(out.resolve("results.csv")).read();
        assertEquals(8 * 3, rows.size(), "8 cells × (2 held-out tasks + 1 seen task)");
        assertEquals(Set.of("full", "freeze", "bitfit", "lora"), rows.stream().map(ResultRow::method).collect(Collectors.toSet()));
        java.util.Map<String, Long> params = new java.util.HashMap<>();
        for (ResultRow row : rows) {
            assertTrue(row.budgetFlops() == 5e9 || row.budgetFlops() == 1.5e10, row.toString());
            // the stage ran until the step that reached the budget: never less, and the FLOPs are those of stage.json
            assertTrue(row.flops() >= row.budgetFlops(), row.toString());
            assertEquals(stageFlops(out.resolve("pretrain/tiny-in-domain-demo-ion-s1-m-" + row.method() + "-b"
                    + GridUnit.budget(row.budgetFlops()) + "/01-in-domain/stage.json")), row.flops(), 0, row.toString());
            params.merge(row.method(), row.trainableParams(), (x, y) -> { assertEquals(x, y); return x; });
        }
        assertTrue(params.get("lora") < params.get("freeze") && params.get("freeze") < params.get("full")
                && params.get("bitfit") < params.get("lora"), params.toString());
        CliRunner.Result report = CliRunner.run("report", out.toString(), "--resamples", "200");
        assertEquals(0, report.exitCode(), report.err());
        String html = Files.readString(out.resolve("report.html"));
        for (String task : List.of("clinc150-intent", "spc-persona-response", "banking77-intent (seen)")) {
            assertTrue(html.contains("Score against training FLOPs: " + task + " (split demo)"), task);
        }
    }

    private static double stageFlops(Path stageJson) {
        return org.dialtune.common.Json.parseFile(stageJson).getAsJsonObject().get("flops").getAsDouble();
    }

    @Test
    void aSeenTaskOutsideTheSplitsTrainingTasksIsRefusedBeforeAnyTraining() throws IOException {
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
        Path spec = dir.resolve("grid.json");
        Files.writeString(spec, Files.readString(Path.of("eval/experiments/demo.json"))
                .replace("runs/demo/model", model.toString())
                .replace("\"banking77-intent\"]", "\"clinc150-intent\"]")
                .replace("eval/", Path.of("eval").toAbsolutePath() + "/"));
        CliRunner.Result r = CliRunner.run("experiment", "run", spec.toString(), "--out", dir.resolve("run").toString(),
                "--data", Path.of("eval/demo/data").toAbsolutePath().toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString());
        assertEquals(2, r.exitCode(), r.err() + r.out());
        assertTrue(r.err().contains(spec + ": field \"evaluate_seen.tasks\": clinc150-intent is not a training task of split demo"),
                r.err());
        assertTrue(!Files.exists(dir.resolve("run/pretrain")), "nothing was trained");
    }
}
