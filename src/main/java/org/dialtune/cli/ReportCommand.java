package org.dialtune.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dialtune.eval.report.RunAnalysis;
import org.dialtune.eval.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune report RUN_DIR}: Markdown and HTML report of an experiment run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Report an experiment run: per-task scores per condition (mean and 95%% Student-t CI over "
                + "seeds), charts, gains from in-domain MTL, general MTL, instructions and shots on matched pairs "
                + "(tested across independent units, per metric), training curves and provenance.",
                "Reads RUN_DIR/results.csv and every RUN_DIR/**/train_log.jsonl; writes report.md and a "
                + "self-contained report.html."})
public final class ReportCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The experiment's run directory.")
    Path runDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report (default: RUN_DIR).")
    Path out;

    @Mixin
    StatsOptions stats;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        RunAnalysis analysis = RunAnalysis.of(runDir, stats.config(), Instant.now());
        for (String w : analysis.provenance().warnings()) spec.commandLine().getErr().println("dialtune: warning: " + w);
        List<Path> files = RunReport.write(analysis, out != null ? out : runDir);
        spec.commandLine().getOut().println("report of " + analysis.rows().size() + " rows, "
                + analysis.logs().size() + " training logs -> " + files.get(0) + ", " + files.get(1));
    }
}
