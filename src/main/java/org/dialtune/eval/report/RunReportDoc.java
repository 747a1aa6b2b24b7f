package org.dialtune.eval.report;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.dialtune.eval.report.chart.Charts;
import org.dialtune.eval.report.chart.IntervalBar;
import org.dialtune.eval.report.doc.Doc;
import org.dialtune.eval.report.doc.Numbers;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.PairedComparison;

/** Lays out a {@link RunAnalysis} as a report document: scores, factor gains, training curves, provenance. */
public final class RunReportDoc {
    static final int CHART_WIDTH = 900;
    /** A grid of few-shot cells writes hundreds of short logs; beyond this many, only the table lists them all. */
    static final int MAX_CURVE_LOGS = 24;
    private static final String NO_CI = "one seed: no CI";
    private static final String NO_UNIT_CI = "one unit: no CI";

    private RunReportDoc() {}

    public static Doc build(RunAnalysis a) {
        Doc doc = new Doc("dialtune experiment report: " + a.provenance().runDir().getFileName());
        for (String w : a.provenance().warnings()) doc.warning(w);
        overview(doc, a);
        scores(doc, a);
        gains(doc, a);
        compute(doc, a);
        curves(doc, a);
        provenance(doc, a);
        method(doc, a);
        return doc;
    }

    private static void overview(Doc doc, RunAnalysis a) {
        List<ResultRow> rows = a.rows();
        doc.paragraph(rows.size() + " result rows: " + distinct(rows, ResultRow::task).size() + " tasks, "
                + a.scores().stream().map(ConditionScore::condition).distinct().count() + " conditions, splits "
                + String.join(", ", distinct(rows, ResultRow::split)) + ", seeds "
                + rows.stream().map(ResultRow::seed).distinct().sorted().map(String::valueOf).collect(Collectors.joining(", "))
                + ", metrics "
                + String.join(", ", distinct(rows, ResultRow::metric)) + ". Scores are means over seeds with " + level(a)
                + " Student-t confidence intervals over seeds; a seed scored with several instruction wordings counts "
                + "once, with the mean of its wordings. Gains are tested across independent units (see Method), "
                + "never across correlated rows.");
    }

    private static void scores(Doc doc, RunAnalysis a) {
        doc.heading(2, "Scores per task and condition");
        Map<String, List<ConditionScore>> bySplit = new LinkedHashMap<>();
        for (ConditionScore s : a.scores()) bySplit.computeIfAbsent(s.condition().split(), k -> new ArrayList<>()).add(s);
        for (Map.Entry<String, List<ConditionScore>> split : bySplit.entrySet()) {
            doc.heading(3, "Split " + split.getKey());
            List<List<String>> rows = new ArrayList<>();
            for (ConditionScore s : split.getValue()) {
                Condition c = s.condition();
                // a grid's method and budget factors tell conditions apart beside their stages
                String stages = c.variant().isEmpty() ? c.stages() : c.stages() + " · " + c.variant();
                rows.add(List.of(s.task(), s.metric(), c.model(), stages, Integer.toString(c.shots()), c.instructions(),
                        Numbers.score(s.seeds().mean()), s.interval() == null ? NO_CI : Numbers.interval(s.interval()),
                        Integer.toString(s.seeds().n()), s.seeds().hasStd() ? Numbers.score(s.seeds().sampleStd()) : Numbers.NA));
            }
            doc.table(List.of("Task", "Metric", "Model", "Stages", "Shots", "Instructions", "Mean",
                    ciHeader(a) + " over seeds", "Seeds", "Std"), rows);
            Map<String, List<ConditionScore>> byTask = new LinkedHashMap<>();
            for (ConditionScore s : split.getValue()) byTask.computeIfAbsent(s.task() + "\u0000" + s.metric(), k -> new ArrayList<>()).add(s);
            for (List<ConditionScore> task : byTask.values()) {
                List<IntervalBar> bars = new ArrayList<>();
                boolean unit = true;
                for (ConditionScore s : task) {
                    double lo = s.interval() == null ? Double.NaN : s.interval().low();
                    double hi = s.interval() == null ? Double.NaN : s.interval().high();
                    bars.add(new IntervalBar(s.condition().label(), s.seeds().mean(), lo, hi));
                    unit &= s.seeds().mean() >= 0 && s.seeds().mean() <= 1;
                }
                ConditionScore first = task.get(0);
                doc.figure(Charts.intervalBars(first.task() + " (split " + split.getKey() + ")",
                        "condition",
                        first.metric() + (unit ? " (score, 0–1)" : " (score)") + ", mean over seeds; whiskers: "
                                + ciHeader(a) + " over seeds (none with one seed)",
                        bars), CHART_WIDTH, Charts.barChartHeight(bars.size()));
            }
        }
    }

    private static void gains(Doc doc, RunAnalysis a) {
        doc.heading(2, "Gains from each factor");
        doc.paragraph("Each factor is measured on matched pairs: a row with the factor and a row without it that agree "
                + "on everything else (model, split, shots, seed, instructions, task; stage lists compared with the "
                + "factor's own stages removed). Pairs are not independent: one seed's multi-task model serves every "
                + "shot count and held-out task of its split, and one seed's few-shot sample serves every model, "
                + "condition and instruction mode. So the pairs are grouped into independent units (pairs that share "
                + "a seeded draw, see Method), each unit's pairs are averaged, and the tests and intervals are across "
                + "units. Absolute gains are per metric (accuracy and Rouge-L points are not added together): mean "
                + "over units of (with − without), with a " + level(a) + " Student-t CI and a two-sided sign-flip "
                + "p-value over units. Relative gain of a unit = mean over its tasks of 100 × (with − without) / without, "
                + "so tasks of both metrics count, as the reference study averages relative gains over tasks; the "
                + "table shows its mean over units with a t-interval. Stage kinds come from stage names: a name "
                + "containing \"general\" is general MTL, one containing \"in-domain\" or \"indomain\" is in-domain "
                + "MTL, one containing \"few-shot\" or \"fewshot\" is few-shot fine-tuning.");
        List<List<String>> summary = new ArrayList<>();
        List<List<String>> relative = new ArrayList<>();
        List<IntervalBar> abs = new ArrayList<>();
        List<IntervalBar> rel = new ArrayList<>();
        for (FactorGain g : a.gains()) {
            Factor f = g.factor();
            String compared = f.withLabel() + " vs " + f.withoutLabel();
            if (!g.hasPairs()) {
                summary.add(List.of(f.name(), compared, "—", "0", "0", "0", "—", "—", "no matched pairs", "—", "—"));
                continue;
            }
            for (MetricGain m : g.metrics()) {
                PairedComparison c = m.comparison();
                summary.add(List.of(f.name(), compared, m.metric(), Integer.toString(m.pairs()), Integer.toString(c.n()),
                        Integer.toString(m.tasks()), Numbers.score(c.meanA()), Numbers.score(c.meanB()),
                        Numbers.signed(c.meanDifference()), c.differenceInterval() == null ? NO_UNIT_CI
                                : Numbers.signedInterval(c.differenceInterval()), Numbers.pValue(c.pValue())));
                abs.add(bar(f.name() + " (" + m.metric() + ")", c.meanDifference(), c.differenceInterval()));
            }
            relative.add(List.of(f.name(), compared, Integer.toString(g.relativeUnits()), Integer.toString(g.relativeTasks()),
                    Numbers.percent(g.relativeMeanPercent()), g.relativeUnits() == 0 ? Numbers.NA
                            : g.relativeUnits() == 1 ? NO_UNIT_CI : Numbers.percentInterval(g.relativeInterval())));
            if (!Double.isNaN(g.relativeMeanPercent())) rel.add(bar(f.name(), g.relativeMeanPercent(), g.relativeInterval()));
        }
        doc.table(List.of("Factor", "Compared", "Metric", "Pairs", "Units", "Tasks", "Mean without", "Mean with",
                "Absolute gain", ciHeader(a) + " over units", "p (sign-flip over units)"), summary);
        if (!relative.isEmpty()) {
            doc.paragraph("Relative gain, averaged over tasks of every metric:");
            doc.table(List.of("Factor", "Compared", "Units", "Tasks", "Relative gain (mean over units)",
                    ciHeader(a) + " over units"), relative);
        }
        if (!abs.isEmpty()) {
            doc.figure(Charts.intervalBars("Absolute gain from each factor", "factor",
                    "gain in score points (with − without, 0–1 scale); whiskers: " + ciHeader(a) + " over units", abs),
                    CHART_WIDTH, Charts.barChartHeight(abs.size()));
        }
        if (!rel.isEmpty()) {
            doc.figure(Charts.intervalBars("Relative gain from each factor (average over tasks)", "factor",
                    "relative gain (%); whiskers: " + ciHeader(a) + " over units", rel), CHART_WIDTH, Charts.barChartHeight(rel.size()));
        }
        for (FactorGain g : a.gains()) factor(doc, a, g);
    }

    private static IntervalBar bar(String label, double value, Interval ci) {
        return ci == null ? IntervalBar.withoutInterval(label, value) : new IntervalBar(label, value, ci.low(), ci.high());
    }

    private static void factor(Doc doc, RunAnalysis a, FactorGain g) {
        Factor f = g.factor();
        doc.heading(3, f.name() + ": " + f.description());
        if (!g.hasPairs()) {
            doc.paragraph("No matched pairs: the run has no two rows that differ only in this factor ("
                    + g.withoutOnly() + " groups of rows " + f.withoutLabel() + " and " + g.withOnly() + " " + f.withLabel()
                    + " found no partner), so no gain is reported.");
            return;
        }
        doc.paragraph(plural(g.pairs(), "pair") + " over " + plural(g.tasks().size(), "task") + " in "
                + plural(g.units(), "independent unit") + "; p-values by " + g.metrics().get(0).comparison().pValueMethod()
                + " over units."
                + (g.withoutOnly() + g.withOnly() > 0 ? " Unpaired and left out: " + g.withoutOnly() + " groups of rows "
                + f.withoutLabel() + ", " + g.withOnly() + " " + f.withLabel() + "." : "")
                + (g.relativeTasks() < g.tasks().size() ? " Relative gain undefined (mean without = 0) for "
                + plural(g.tasks().size() - g.relativeTasks(), "task") + "." : ""));
        List<List<String>> rows = new ArrayList<>();
        List<IntervalBar> bars = new ArrayList<>();
        for (TaskGain t : g.tasks()) {
            PairedComparison tc = t.comparison();
            rows.add(List.of(t.task(), t.metric(), Integer.toString(t.pairs()), Integer.toString(tc.n()),
                    Numbers.score(tc.meanA()), Numbers.score(tc.meanB()), Numbers.signed(tc.meanDifference()),
                    tc.differenceInterval() == null ? NO_UNIT_CI : Numbers.signedInterval(tc.differenceInterval()),
                    Numbers.pValue(tc.pValue()), Numbers.percent(t.relativePercent())));
            bars.add(bar(t.task() + (oneMetricPerTask(g) ? "" : " (" + t.metric() + ")"), tc.meanDifference(),
                    tc.differenceInterval()));
        }
        doc.table(List.of("Task", "Metric", "Pairs", "Units", "Mean without", "Mean with", "Absolute gain",
                ciHeader(a) + " over units", "p", "Relative gain"), rows);
        doc.figure(Charts.intervalBars(f.name() + ": gain per task", "task",
                "gain in score points (" + f.withLabel() + " − " + f.withoutLabel() + "); whiskers: " + ciHeader(a)
                        + " over units", bars),
                CHART_WIDTH, Charts.barChartHeight(bars.size()));
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static boolean oneMetricPerTask(FactorGain g) {
        return g.tasks().stream().map(TaskGain::task).distinct().count() == g.tasks().size();
    }

    private static void curves(Doc doc, RunAnalysis a) {
        doc.heading(2, "Training curves");
        if (a.logs().isEmpty()) {
            doc.paragraph("No " + TrainLogFile.FILE_NAME + " files under the run directory, so there are no curves to show.");
            return;
        }
        List<List<String>> summary = new ArrayList<>();
        for (TrainLogFile log : a.logs()) {
            for (List<String> row : stageRows(log)) {
                List<String> r = new ArrayList<>(List.of(log.name()));
                r.addAll(row);
                summary.add(r);
            }
        }
        doc.paragraph(a.logs().size() + " training logs; one row per log and stage.");
        doc.table(List.of("Log", "Stage", "Steps", "Log lines", "Final loss", "Min loss", "Mean tokens/s", "Peak RSS (MB)",
                "Best validation"), summary);
        List<TrainLogFile> drawn = curvesToDraw(a.logs());
        if (drawn.size() < a.logs().size()) {
            doc.paragraph("Curves are drawn for the " + drawn.size() + " logs with the most training lines (of "
                    + a.logs().size() + ", all summarised above), to keep the page a size a browser opens.");
        }
        for (TrainLogFile log : drawn) {
            Map<String, List<double[]>> loss = new LinkedHashMap<>();
            Map<String, List<double[]>> validation = new LinkedHashMap<>();
            for (TrainLogPoint p : log.points()) {
                if (p.isTraining()) loss.computeIfAbsent(p.stage(), k -> new ArrayList<>()).add(new double[] {p.step(), p.loss()});
                if (p.isValidation()) validation.computeIfAbsent(p.stage(), k -> new ArrayList<>()).add(new double[] {p.step(), p.validationScore()});
            }
            if (loss.isEmpty() && validation.isEmpty()) continue;
            doc.heading(3, log.name());
            if (!loss.isEmpty()) {
                // a short log shows its points, or a single logged step would draw nothing
                boolean sparse = loss.values().stream().anyMatch(points -> points.size() < 20);
                doc.figure(Charts.xy("Training loss: " + log.name(), "global step (optimizer steps)",
                        "training loss (nats per target token)", loss,
                        sparse ? Charts.Marks.LINES_AND_POINTS : Charts.Marks.LINES), CHART_WIDTH, 380);
            }
            if (!validation.isEmpty()) {
                doc.figure(Charts.xy("Validation score: " + log.name(), "global step (optimizer steps)",
                        "validation score (task metric, 0–1)", validation, Charts.Marks.LINES_AND_POINTS), CHART_WIDTH, 320);
            }
        }
    }

    /** Score against training FLOPs per method: only for runs of a grid with a {@code methods} factor. */
    private static void compute(Doc doc, RunAnalysis a) {
        List<ComputePoint> points = ComputeCurves.of(a.rows());
        if (points.isEmpty()) return;
        doc.heading(2, "Score against training compute");
        doc.paragraph("One point per task, method and FLOP budget: the mean score over seeds against the mean training "
                + "FLOPs its seeds spent (forward + backward of every training step behind the evaluated model, all "
                + "stages; see eval/README.md, FLOP accounting). A stage stops after the step that reaches its budget, "
                + "so FLOPs spent slightly exceed it. Untrained points (0 FLOPs) are in the table, not on the "
                + "logarithmic axis. Seen tasks are tasks the model trained on.");
        List<List<String>> table = new ArrayList<>();
        Map<String, Map<String, List<double[]>>> charts = new LinkedHashMap<>();
        Map<String, Boolean> unitScale = new LinkedHashMap<>();
        for (ComputePoint p : points) {
            String task = p.task() + (p.seen() ? " (seen)" : "");
            table.add(List.of(task, p.metric(), p.split(), p.series(),
                    Double.isNaN(p.budgetFlops()) ? Numbers.NA : String.format(java.util.Locale.ROOT, "%.3g", p.budgetFlops()),
                    String.format(java.util.Locale.ROOT, "%.3g", p.flops()),
                    p.trainableParams() < 0 ? Numbers.NA : Long.toString(p.trainableParams()),
                    Numbers.score(p.score()), Integer.toString(p.seeds())));
            if (!(p.flops() > 0)) continue;
            String chart = task + " (split " + p.split() + ")\u0000" + p.metric();
            charts.computeIfAbsent(chart, k -> new LinkedHashMap<>()).computeIfAbsent(p.series(), k -> new ArrayList<>())
                    .add(new double[] {p.flops(), p.score()});
            unitScale.merge(chart, p.score() >= 0 && p.score() <= 1, Boolean::logicalAnd);
        }
        doc.table(List.of("Task", "Metric", "Split", "Method", "Budget (FLOPs)", "FLOPs spent", "Trainable params",
                "Mean score", "Seeds"), table);
        for (Map.Entry<String, Map<String, List<double[]>>> c : charts.entrySet()) {
            String[] titleAndMetric = c.getKey().split("\u0000");
            doc.figure(Charts.xy("Score against training FLOPs: " + titleAndMetric[0],
                    "training FLOPs (forward + backward, log scale)",
                    titleAndMetric[1] + (unitScale.get(c.getKey()) ? " (score, 0–1)" : " (score)") + ", mean over seeds",
                    c.getValue(), Charts.Marks.LINES_AND_POINTS, true), CHART_WIDTH, 420);
        }
    }

    /** At most {@link #MAX_CURVE_LOGS} logs, those with the most training lines, in path order. */
    static List<TrainLogFile> curvesToDraw(List<TrainLogFile> logs) {
        if (logs.size() <= MAX_CURVE_LOGS) return logs;
        List<TrainLogFile> longest = logs.stream()
                .sorted(java.util.Comparator.comparingLong((TrainLogFile l) -> -l.points().stream().filter(TrainLogPoint::isTraining).count()))
                .limit(MAX_CURVE_LOGS).toList();
        return logs.stream().filter(longest::contains).toList();
    }

    private static List<List<String>> stageRows(TrainLogFile log) {
        Map<String, List<TrainLogPoint>> byStage = log.points().stream()
                .collect(Collectors.groupingBy(TrainLogPoint::stage, LinkedHashMap::new, Collectors.toList()));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<TrainLogPoint>> e : byStage.entrySet()) {
            List<TrainLogPoint> train = e.getValue().stream().filter(TrainLogPoint::isTraining).toList();
            double first = e.getValue().stream().mapToLong(TrainLogPoint::step).min().orElse(0);
            double last = e.getValue().stream().mapToLong(TrainLogPoint::step).max().orElse(0);
            rows.add(List.of(e.getKey(), Numbers.integer(first) + "–" + Numbers.integer(last), Integer.toString(train.size()),
                    train.isEmpty() ? Numbers.NA : Numbers.score(train.get(train.size() - 1).loss()),
                    Numbers.score(train.stream().mapToDouble(TrainLogPoint::loss).min().orElse(Double.NaN)),
                    Numbers.integer(train.stream().mapToDouble(TrainLogPoint::tokensPerS).filter(Double::isFinite).average().orElse(Double.NaN)),
                    Numbers.integer(train.stream().mapToDouble(TrainLogPoint::rssMb).filter(Double::isFinite).max().orElse(Double.NaN)),
                    Numbers.score(e.getValue().stream().filter(TrainLogPoint::isValidation)
                            .mapToDouble(TrainLogPoint::validationScore).max().orElse(Double.NaN))));
        }
        return rows;
    }

    private static void provenance(Doc doc, RunAnalysis a) {
        Provenance p = a.provenance();
        doc.heading(2, "Provenance");
        doc.bullets(List.of("Run directory: " + p.runDir(),
                "Report generated: " + DateTimeFormatter.ISO_INSTANT.format(p.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                "Result rows: " + a.rows().size() + "; training logs: " + a.logs().size(),
                p.warnings().isEmpty() ? "Warnings: none" : "Warnings: " + p.warnings().size() + " (shown at the top)"));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Integer> e : p.commits().entrySet()) rows.add(List.of(e.getKey(), Integer.toString(e.getValue())));
        doc.table(List.of("Commit", "Rows"), rows);
    }

    private static void method(Doc doc, RunAnalysis a) {
        doc.heading(2, "Method");
        doc.bullets(List.of(
                "Intervals: Student-t confidence interval of a mean, mean ± t(n − 1) × sd / √n, level "
                        + a.config().level() + ". Its coverage holds for few values (a percentile bootstrap of 3 "
                        + "seeds cannot leave their range and covers at most 75%). With 2 values it is wide "
                        + "(t(1) = 12.7); one value gets no interval. Untrained zero-shot rows are the same number "
                        + "for every seed (fixed evaluation subset), so their interval has no width.",
                "Independent units: " + unitsText(),
                "Tests: two-sided sign-flip permutation test of the unit differences, exact when there are at most "
                        + PairedComparison.DEFAULT_MAX_EXACT_ITEMS + " units, else Monte Carlo with "
                        + a.config().resamples() + " sign patterns (seed " + a.config().seed() + "). The smallest "
                        + "attainable p is 2/2^n: 0.25 with 3 units, 0.0625 with 5; below 6 units no test reaches 0.05. "
                        + "The test assumes only symmetric differences, the interval roughly normal ones, so with few "
                        + "units they can disagree.",
                "Metrics: absolute gains are per metric (accuracy and Rouge-L are never averaged together); the "
                        + "relative gain is unitless and averages the tasks of every metric, as the reference study does."));
    }

    /** Why pairs are grouped, in the report's words; eval/README.md ("Statistics") says the same. */
    static String unitsText() {
        return "the experiment draws with a seed — the multi-task stages' data order, per (stages, split, seed), and "
                + "the few-shot sample, per (task, k, seed) — and draws the same again for every model, condition and "
                + "instruction mode; the multi-task model is shared by every shot count and held-out task of its "
                + "split. Pairs that depend on a common draw, directly or through other pairs, form one unit (in a "
                + "full grid: one split and seed). A pair of untrained zero-shot rows depends on no draw and is the "
                + "same in every seed: each seed's copy joins the trained pairs of its task and seed, or, where "
                + "there are none, its copies count as one unit.";
    }

    private static String level(RunAnalysis a) {
        return Numbers.integer(100 * a.config().level()) + "%";
    }

    private static String ciHeader(RunAnalysis a) {
        return level(a) + " t-CI";
    }

    private static TreeSet<String> distinct(List<ResultRow> rows, java.util.function.Function<ResultRow, String> f) {
        TreeSet<String> s = new TreeSet<>();
        for (ResultRow r : rows) s.add(f.apply(r));
        return s;
    }
}
