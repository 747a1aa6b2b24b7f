package org.dialtune.eval.report;

import static org.dialtune.eval.report.Rows.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dialtune.cli.CliRunner;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir Path dir;

    /** The in-domain grid of FactorGainsTest (a-task +0.1/+0.2/+0.3, b-task −0.25), one cell per append. */
    private Path run(String... commits) {
        Path run = dir.resolve("run");
        ResultStore store = new ResultStore(run.resolve("results.csv"));
        double[] aWithout = {0.2, 0.4, 0.3};
        double[] aWith = {0.3, 0.6, 0.6};
        for (int s = 0; s < 3; s++) {
            String commit = commits.length == 0 ? "c0ffee" : commits[s % commits.length];
            store.appendCell(List.of(
                    row("bart-base", "split1", "none", 0, "off", s + 1, "a-task", "none", aWithout[s], commit),
                    row("bart-base", "split1", "none", 0, "off", s + 1, "b-task", "none", 0.5, commit)));
            store.appendCell(List.of(
                    row("bart-base", "split1", "in-domain", 0, "off", s + 1, "a-task", "none", aWith[s], commit),
                    row("bart-base", "split1", "in-domain", 0, "off", s + 1, "b-task", "none", 0.25, commit)));
        }
        return run;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void writesBothReportsWithTheComputedGains() throws IOException {
        Path run = run();
        CliRunner.Result r = CliRunner.run("report", run.toString(), "--resamples", "2000");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("report of 12 rows, 0 training logs"), r.out());
        String md = read(run.resolve("report.md"));
        // scores: mean and Student-t interval over the 3 seeds (0.2, 0.4, 0.3: 0.3 ± 4.303 × 0.1 / √3)
        assertTrue(md.contains("| Mean | 95% t-CI over seeds | Seeds | Std |"), md);
        assertTrue(md.contains("| a-task | accuracy | bart-base | none | 0 | off | 0.300 | [0.052, 0.548] | 3 | 0.100 |"), md);
        // in-domain MTL: 6 pairs in 3 units (one per seed), mean without 0.4, with 0.375, gain −0.025; the
        // t-interval and the sign-flip p (6 of 8 patterns) are over the 3 unit means −0.075, −0.025, +0.025
        assertTrue(md.contains("| In-domain MTL | with in-domain vs without in-domain | accuracy | 6 | 3 | 2 | 0.400 | 0.375 "
                + "| -0.025 | [-0.149, +0.099] | 0.7500 |"), md);
        // relative gain per unit: mean of a-task's and b-task's → 0, 0, +25%; mean over units +8.3%
        assertTrue(md.contains("| In-domain MTL | with in-domain vs without in-domain | 3 | 2 | +8.3% | [-27.5%, +44.2%] |"), md);
        // per task: a-task +0.200 and +66.7%, p = 2/8 over its 3 units
        assertTrue(md.contains("| a-task | accuracy | 3 | 3 | 0.300 | 0.500 | +0.200 | [-0.048, +0.448] | 0.2500 | +66.7% |"), md);
        assertTrue(md.contains("| b-task | accuracy | 3 | 3 | 0.500 | 0.250 | -0.250 | [-0.250, -0.250] |"), md);
        assertTrue(md.contains("6 pairs over 2 tasks in 3 independent units; p-values by exact sign-flip (8 patterns) over units."), md);
        assertTrue(md.contains("- Independent units: the experiment draws with a seed"), md);
        // the factors without pairs say so instead of showing numbers
        assertTrue(md.contains("### General MTL: stages with a general stage vs the same stages without it\n\n"
                + "No matched pairs"), md);
        assertTrue(md.contains("### Shots (k vs 0)"), md);
        assertTrue(md.contains("No train\\_log.jsonl files under the run directory"), md);
        assertTrue(md.contains("| c0ffee | 12 |"), md);
        assertFalse(md.contains("WARNING"), md);
        String html = read(run.resolve("report.html"));
        assertTrue(html.contains("<td>a-task</td><td>accuracy</td><td class=\"num\">3</td>"), html.substring(0, 300));
    }

    @Test
    void htmlIsSelfContainedWithOneInlineSvgPerChart() throws IOException {
        Path run = run();
        Path logDir = run.resolve("cells/in-domain-1");
        Files.createDirectories(logDir);
        Files.writeString(logDir.resolve("train_log.jsonl"), """
                {"global_step":10,"stage":"in-domain","loss":3.5,"lr":1e-4,"grad_norm":1.1,"tokens_per_s":900.0,"rss_mb":700}
                {"global_step":20,"stage":"in-domain","loss":2.5,"lr":1e-4,"grad_norm":1.0,"tokens_per_s":1100.0,"rss_mb":710}
                {"global_step":20,"stage":"in-domain","validation_score":0.42,"best":true}
                """);
        assertEquals(0, CliRunner.run("report", run.toString(), "--resamples", "500").exitCode());
        String html = read(run.resolve("report.html"));
        for (String external : List.of("http", "src=", "<script", "<link", "<img", "@import", "url(http")) {
            assertFalse(html.toLowerCase().contains(external), "report.html refers outside itself: " + external);
        }
        // charts: 2 per-task score charts, absolute + relative gain, in-domain per-task gains, loss, validation
        assertEquals(7, count(html, "<svg "));
        assertEquals(7, count(html, "</svg>"));
        // every chart's clip paths and gradients are its own
        assertTrue(html.contains("id='fig7'") && html.contains("url(#fig7-clip-0)"));
        assertTrue(html.contains("Training loss: cells/in-domain-1/train_log.jsonl"));
        assertTrue(html.contains("global step (optimizer steps)"));
        String md = read(run.resolve("report.md"));
        assertTrue(md.contains("| cells/in-domain-1/train\\_log.jsonl | in-domain | 10–20 | 2 | 2.500 | 2.500 | 1000 | 710 | 0.420 |"), md);
    }

    @Test
    void manyLogsAreAllSummarisedAndTheLongestDrawn() throws IOException {
        Path run = run();
        int logs = RunReportDoc.MAX_CURVE_LOGS + 3;
        for (int i = 0; i < logs; i++) {
            Path d = run.resolve(String.format("cells/c%02d", i));
            Files.createDirectories(d);
            StringBuilder lines = new StringBuilder();
            // log i has i + 1 lines: the three shortest (c00..c02) are the ones not drawn
            for (int step = 1; step <= i + 1; step++) lines.append("{\"global_step\":").append(step).append(",\"stage\":\"s\",\"loss\":1.5}\n");
            Files.writeString(d.resolve("train_log.jsonl"), lines);
        }
        assertEquals(0, CliRunner.run("report", run.toString(), "--resamples", "100").exitCode());
        String md = read(run.resolve("report.md"));
        for (int i = 0; i < logs; i++) assertTrue(md.contains(String.format("| cells/c%02d/train\\_log.jsonl | s |", i)), md);
        assertTrue(md.contains("Curves are drawn for the 24 logs with the most training lines (of 27, all summarised above)"), md);
        assertFalse(md.contains("Training loss: cells/c02/"));
        assertTrue(md.contains("Training loss: cells/c03/"));
        assertTrue(md.contains("Training loss: cells/c26/"));
    }

    @Test
    void mixedAndDirtyCommitsAreWarnedAboutLoudly() throws IOException {
        Path run = run("abc123", "abc123", "def456-dirty");
        CliRunner.Result r = CliRunner.run("report", run.toString(), "--resamples", "200");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("dialtune: warning: rows come from 2 different commits (abc123, def456-dirty)"), r.err());
        assertTrue(r.err().contains("dialtune: warning: 4 rows come from commit def456-dirty, which had uncommitted changes"), r.err());
        String md = read(run.resolve("report.md"));
        assertTrue(md.startsWith("# dialtune experiment report: run\n\n> **WARNING:** rows come from 2 different commits"), md);
        assertTrue(md.contains("| abc123 | 8 |\n| def456-dirty | 4 |"), md);
        assertTrue(read(run.resolve("report.html")).contains("<div class=\"warning\">WARNING: rows come from 2 different commits"));
    }

    @Test
    void outWritesElsewhereAtomicallyAndLeavesTheRunAlone() throws IOException {
        Path run = run();
        byte[] results = Files.readAllBytes(run.resolve("results.csv"));
        Path out = dir.resolve("reports/r1");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), "old");
        assertEquals(0, CliRunner.run("report", run.toString(), "--out", out.toString(), "--resamples", "200").exitCode());
        assertEquals(List.of("report.html", "report.md"), names(out), "no temporary files left behind");
        assertTrue(read(out.resolve("report.md")).startsWith("# dialtune experiment report"));
        assertEquals(List.of("results.csv"), names(run));
        assertArrayEquals(results, Files.readAllBytes(run.resolve("results.csv")));
    }

    @Test
    void aFailedReportLeavesThePreviousOneIntact() throws IOException {
        Path run = run();
        assertEquals(0, CliRunner.run("report", run.toString(), "--resamples", "200").exitCode());
        String before = read(run.resolve("report.html"));
        Files.writeString(run.resolve("train_log.jsonl"), "{\"global_step\":1,\"loss\":2.0}\n{\"global_step\":2,\"loss\":\"x\"}\n{}\n");
        CliRunner.Result r = CliRunner.run("report", run.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + run.resolve("train_log.jsonl") + ":2: field \"loss\" must be a number, got \"x\"\n", r.err());
        assertEquals(before, read(run.resolve("report.html")));
        assertEquals(List.of("report.html", "report.md", "results.csv", "train_log.jsonl"), names(run));
    }

    @Test
    void aLineStillBeingWrittenIsLeftOutWithAWarningAndTheFileIsNotTouched() throws IOException {
        Path run = run();
        Files.writeString(run.resolve("results.csv"), "x|y,bart-base,in-domain,spl", java.nio.file.StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(run.resolve("results.csv"));
        CliRunner.Result r = CliRunner.run("report", run.toString(), "--resamples", "200");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("results.csv ends in an incomplete line"), r.err());
        assertTrue(r.out().contains("report of 12 rows"), r.out());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("results.csv")));
    }

    @Test
    void sameRunSameSeedSameInstantGivesByteIdenticalReports() throws IOException {
        Path run = run("abc123", "def456");
        Files.createDirectories(run.resolve("cells/x"));
        Files.writeString(run.resolve("cells/x/train_log.jsonl"), "{\"global_step\":1,\"stage\":\"in-domain\",\"loss\":2.0}\n");
        java.time.Instant when = java.time.Instant.parse("2026-11-23T12:00:00Z");
        org.dialtune.eval.stats.StatsConfig config = new org.dialtune.eval.stats.StatsConfig(500, 1, 0.95);
        RunReport.write(RunAnalysis.of(run, config, when), dir.resolve("a"));
        RunReport.write(RunAnalysis.of(run, config, when), dir.resolve("b"));
        for (String f : List.of("report.md", "report.html")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertTrue(read(dir.resolve("a/report.md")).contains("Report generated: 2026-11-23T12:00:00Z"));
    }

    @Test
    void badInputGivesOneLineErrors() throws IOException {
        Path missing = dir.resolve("nope");
        assertError("dialtune: error: " + missing + ": no such run directory (give the directory that holds results.csv)",
                "report", missing.toString());

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertError("dialtune: error: " + empty.resolve("results.csv") + ": file not found (is " + empty
                + " an experiment's run directory?)", "report", empty.toString());

        Files.writeString(empty.resolve("results.csv"), String.join(",", ResultRow.COLUMNS) + "\n");
        assertError("dialtune: error: " + empty.resolve("results.csv")
                + ": no result rows yet (no grid cell has finished; report again when one has)", "report", empty.toString());
        Files.writeString(empty.resolve("results.csv"), "");
        assertError("dialtune: error: " + empty.resolve("results.csv")
                + ": no result rows yet (no grid cell has finished; report again when one has)", "report", empty.toString());

        List<String> cols = new ArrayList<>(ResultRow.COLUMNS);
        cols.remove("commit");
        cols.remove("seed");
        Files.writeString(empty.resolve("results.csv"), String.join(",", cols) + "\n");
        assertError("dialtune: error: " + empty.resolve("results.csv") + ": unexpected columns " + cols
                + ", missing seed, commit (written by another dialtune version? move it away or use another --out)",
                "report", empty.toString());

        Path run = run();
        assertError("dialtune: error: --resamples: must be at least 1, got 0", "report", run.toString(), "--resamples", "0");
        Files.writeString(run.resolve("train_log.jsonl"), "{\"global_step\":1,\"loss\":2.0}\nnot json\n{}\n");
        CliRunner.Result r = CliRunner.run("report", run.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("dialtune: error: " + run.resolve("train_log.jsonl") + ":2: not valid JSON: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    private static void assertError(String expected, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(expected + "\n", r.err());
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
