package org.dialtune.eval.instructions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dialtune.common.AtomicFiles;
import org.dialtune.eval.report.chart.Charts;
import org.dialtune.eval.report.chart.IntervalBar;
import org.dialtune.eval.report.doc.Doc;
import org.dialtune.eval.report.doc.HtmlWriter;
import org.dialtune.eval.report.doc.Numbers;
import org.dialtune.eval.stats.Interval;

/** Writes an {@link InstructionAnalysis.Result} as {@code instructions.csv} and a self-contained {@code instructions.html}. */
public final class InstructionReport {
    public static final String CSV = "instructions.csv";
    public static final String HTML = "instructions.html";
    public static final List<String> CSV_COLUMNS = List.of("task", "metric", "model", "stages", "split", "shots", "rank",
            "instruction_id", "mean", "ci_low", "ci_high", "seeds", "std", "spread", "words", "question",
            "mentions_options", "mentions_format", "text");
    private static final int CHART_WIDTH = 900;

    private InstructionReport() {}

    /** @return the files written, CSV first */
    public static List<Path> write(InstructionAnalysis.Result result, Path outDir, String source) {
        Path csv = outDir.resolve(CSV);
        Path html = outDir.resolve(HTML);
        String page = new HtmlWriter().render(doc(result, source));
        writeCsv(result, csv);
        AtomicFiles.writeString(html, page);
        return List.of(csv, html);
    }

    public static void writeCsv(InstructionAnalysis.Result result, Path file) {
        AtomicFiles.writeText(file, w -> {
            // not closed: AtomicFiles owns the stream and syncs it after this returns
            CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(CSV_COLUMNS.toArray(String[]::new)).setRecordSeparator('\n').get());
            for (TaskRanking t : result.rankings()) {
                TaskContext c = t.context();
                for (WordingScore s : t.wordings()) {
                    WordingFeatures f = s.features();
                    Interval ci = s.interval();
                    p.printRecord(c.task(), c.metric(), c.model(), c.stages(), c.split(), c.shots(), s.rank(),
                            s.wording().id(), s.seeds().mean(), ci == null ? "" : ci.low(), ci == null ? "" : ci.high(),
                            s.seeds().n(), s.seeds().hasStd() ? s.seeds().sampleStd() : "", t.spread(), f.words(),
                            f.question(), f.mentionsOptions(), f.mentionsFormat(), s.wording().text());
                }
            }
            p.flush();
        });
    }

    static Doc doc(InstructionAnalysis.Result r, String source) {
        boolean withCondition = r.severalConditions();
        Doc doc = new Doc("dialtune instruction wording analysis");
        int wordings = r.rankings().stream().mapToInt(t -> t.wordings().size()).sum();
        doc.paragraph(wordings + " wordings of " + r.rankings().size() + " tasks from " + source + ". Scores are means "
                + "over seeds (each seed scores its own sample of the split) with " + ci(r) + "s: Student-t confidence "
                + "intervals of the mean, mean ± t(n − 1) × sd / √n, whose coverage holds for a few seeds." + (r.ignoredRows() > 0 ? " " + r.ignoredRows() + " rows that scored no single wording "
                + "(instruction_id none or sampled) are left out." : ""));

        doc.heading(2, "Which wording features go with higher scores");
        doc.paragraph("Per feature: within each task that has wordings with and without it, mean score with minus "
                + "mean score without (score points); then the mean over those tasks with a " + ci(r) + " over tasks. "
                + "Length: Spearman rank correlation of words vs mean score within each task, averaged over tasks. "
                + "With a handful of wordings per task these are hints, not proof.");
        List<List<String>> rows = new ArrayList<>();
        List<IntervalBar> bars = new ArrayList<>();
        for (FeatureEffect e : r.effects()) {
            rows.add(List.of(e.feature(), Integer.toString(e.tasks().size()), Integer.toString(e.tasksWithoutContrast()),
                    Numbers.signed(e.mean()), Numbers.signedInterval(e.interval())));
            if (!e.tasks().isEmpty()) {
                bars.add(new IntervalBar(e.feature(), e.mean(), e.interval() == null ? Double.NaN : e.interval().low(),
                        e.interval() == null ? Double.NaN : e.interval().high()));
            }
        }
        LengthCorrelation len = r.length();
        rows.add(List.of("length in words (Spearman ρ)", Integer.toString(len.tasks().size()), Integer.toString(len.tasksSkipped()),
                Numbers.signed(len.mean()), Numbers.signedInterval(len.interval())));
        doc.table(List.of("Feature", "Tasks compared", "Tasks without contrast", "Mean effect", ci(r) + " over tasks"), rows);
        if (!bars.isEmpty()) {
            doc.figure(Charts.intervalBars("Score difference: wordings with vs without each feature", "feature",
                    "mean score difference (with − without, score points); whiskers: " + ci(r) + " over tasks", bars),
                    CHART_WIDTH, Charts.barChartHeight(bars.size()));
        }
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        List<double[]> xy = new ArrayList<>();
        for (TaskRanking t : r.rankings()) {
            double m = t.meanOfWordings();
            for (WordingScore s : t.wordings()) xy.add(new double[] {s.features().words(), s.seeds().mean() - m});
        }
        points.put("wordings", xy);
        doc.figure(Charts.xy("Wording length vs score (relative to the task's mean over wordings)", "wording length (words)",
                "score − task mean over wordings (score points)", points, Charts.Marks.POINTS), CHART_WIDTH, 380);

        doc.heading(2, "Wordings ranked per task");
        for (TaskRanking t : r.rankings()) {
            doc.heading(3, t.context().label(withCondition));
            WordingScore best = t.wordings().get(0);
            WordingScore worst = t.wordings().get(t.wordings().size() - 1);
            doc.paragraph("Metric " + t.context().metric() + ". Best: " + best.wording().id() + " ("
                    + Numbers.score(best.seeds().mean()) + "); worst: " + worst.wording().id() + " ("
                    + Numbers.score(worst.seeds().mean()) + "); spread (best − worst): " + Numbers.score(t.spread()) + ".");
            List<List<String>> table = new ArrayList<>();
            List<IntervalBar> ranking = new ArrayList<>();
            for (WordingScore s : t.wordings()) {
                WordingFeatures f = s.features();
                table.add(List.of(Integer.toString(s.rank()), s.wording().id(), Numbers.score(s.seeds().mean()),
                        s.interval() == null ? "one seed: no CI" : Numbers.interval(s.interval()), Integer.toString(s.seeds().n()),
                        Integer.toString(f.words()), yes(f.question()), yes(f.mentionsOptions()), yes(f.mentionsFormat()),
                        s.wording().text()));
                ranking.add(new IntervalBar(s.wording().id(), s.seeds().mean(),
                        s.interval() == null ? Double.NaN : s.interval().low(), s.interval() == null ? Double.NaN : s.interval().high()));
            }
            doc.table(List.of("Rank", "Wording", "Mean", ci(r) + " over seeds", "Seeds", "Words", "Question", "Options", "Format", "Text"), table);
            doc.figure(Charts.intervalBars(t.context().label(withCondition) + ": score per wording", "wording",
                    t.context().metric() + " (score), mean over seeds; whiskers: " + ci(r) + " over seeds", ranking),
                    CHART_WIDTH, Charts.barChartHeight(ranking.size()));
        }

        doc.heading(2, "How the features are read from a wording");
        doc.bullets(List.of("length: words, i.e. whitespace-separated tokens with at least one letter or digit",
                "question: the wording contains a question mark; otherwise it counts as imperative",
                "mentions the options: one of " + WordingFeatures.OPTIONS.pattern(),
                "mentions the output format: one of " + WordingFeatures.FORMAT.pattern()));
        return doc;
    }

    /** The interval's name in headers, e.g. "95% t-CI". */
    private static String ci(InstructionAnalysis.Result r) {
        return Numbers.integer(100 * r.config().level()) + "% t-CI";
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
