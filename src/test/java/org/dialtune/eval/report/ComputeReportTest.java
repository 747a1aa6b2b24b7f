package org.dialtune.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.cli.CliRunner;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The score-against-compute section and chart, from synthetic rows of a methods × budgets grid. */
class ComputeReportTest {
    @TempDir Path dir;

    private static ResultRow row(String method, double budget, long seed, String task, double flops, double value,
                                 long params) {
        String cell = "tiny|in-domain|demo|k0|s" + seed + "|i-on|" + method + "|b" + budget;
        return new ResultRow(cell, "tiny", "in-domain", "demo", 0, seed, "on", task, "sampled", "rank_accuracy", value,
                20, 1.0, "c0ffee", ResultRow.SEEN, flops, params, method, budget);
    }

    /** full spends its budget with 2 seeds (scores 0.2/0.4, 0.5/0.7), lora with 1; plus an old row without compute. */
    private List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row("full", 1e9, 1, "banking", 1.1e9, 0.2, 5000));
        rows.add(row("full", 1e9, 2, "banking", 1.3e9, 0.4, 5000));
        rows.add(row("full", 1e10, 1, "banking", 1.02e10, 0.5, 5000));
        rows.add(row("full", 1e10, 2, "banking", 1.04e10, 0.7, 5000));
        rows.add(row("lora", 1e9, 1, "banking", 1.0e9, 0.3, 64));
        rows.add(row("lora", 1e10, 1, "banking", 1.0e10, 0.35, 64));
        rows.add(new ResultRow("old|cell", "tiny", "none", "demo", 0, 1, "on", "banking", "sampled", "rank_accuracy", 0.1, 20,
                1.0, "c0ffee", ResultRow.SEEN));
        return rows;
    }

    @Test
    void pointsAreMeansOverSeedsPerMethodAndBudget() {
        List<ComputePoint> points = ComputeCurves.of(rows());
        assertEquals(4, points.size(), "the row without a method is not a point: " + points);
        ComputePoint full = points.get(0);
        assertEquals("full", full.series());
        assertEquals(1.2e9, full.flops(), 1);
        assertEquals(0.3, full.score(), 1e-12);
        assertEquals(2, full.seeds());
        assertEquals(5000, full.trainableParams());
        assertEquals(1e9, full.budgetFlops());
        assertEquals(0.6, points.get(1).score(), 1e-12);
        assertEquals(List.of("full", "full", "lora", "lora"), points.stream().map(ComputePoint::series).toList());
    }

    @Test
    void reportShowsTheTableAndOneLogScaleChartPerTask() throws IOException {
        Path run = dir.resolve("run");
        new ResultStore(run.resolve("results.csv")).writeAll(rows());
        CliRunner.Result r = CliRunner.run("report", run.toString(), "--resamples", "200");
        assertEquals(0, r.exitCode(), r.err());
        String md = Files.readString(run.resolve("report.md"));
        assertTrue(md.contains("## Score against training compute"), md);
        assertTrue(md.contains("| banking (seen) | rank\\_accuracy | demo | full | 1.00e+09 | 1.20e+09 | 5000 | 0.300 | 2 |"), md);
        assertTrue(md.contains("| banking (seen) | rank\\_accuracy | demo | lora | 1.00e+10 | 1.00e+10 | 64 | 0.350 | 1 |"), md);
        // methods and budgets are conditions of their own in the score table, never averaged together
        assertTrue(md.contains("| banking | rank\\_accuracy | tiny | in-domain · full · 1.00e+10 FLOPs | 0 | on | 0.600 |"), md);
        assertTrue(md.contains("| banking | rank\\_accuracy | tiny | in-domain · lora · 1.00e+09 FLOPs | 0 | on | 0.300 | one seed"), md);
        String html = Files.readString(run.resolve("report.html"));
        int at = html.indexOf("Score against training FLOPs: banking (seen) (split demo)");
        assertTrue(at > 0, "the chart's title");
        assertTrue(html.contains("training FLOPs (forward + backward, log scale)"));
        Files.writeString(Path.of("target/compute-report-test.html"), html); // to look at
        assertTrue(html.substring(at).contains(">1e10<") && html.substring(at).contains(">1e9<"), "power-of-ten ticks on the FLOP axis");
        assertTrue(html.substring(at).contains(">lora<") && html.substring(at).contains(">full<"), "a legend entry per method");
    }

    @Test
    void runsWithoutMethodsHaveNoComputeSection() throws IOException {
        Path run = dir.resolve("plain");
        new ResultStore(run.resolve("results.csv")).writeAll(List.of(rows().get(6)));
        assertEquals(0, CliRunner.run("report", run.toString(), "--resamples", "200").exitCode());
        assertFalse(Files.readString(run.resolve("report.md")).contains("Score against training compute"));
    }
}
