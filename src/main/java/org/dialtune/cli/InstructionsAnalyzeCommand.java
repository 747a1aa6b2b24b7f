package org.dialtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.UserError;
import org.dialtune.eval.instructions.InstructionAnalysis;
import org.dialtune.eval.instructions.InstructionReport;
import org.dialtune.eval.instructions.TaskRanking;
import org.dialtune.eval.instructions.WordingFiles;
import org.dialtune.eval.report.doc.Numbers;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune instructions analyze RESULTS.csv}: rank wordings per task and relate scores to wording features. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Rank each task's instruction wordings by mean score (95%% t-CIs over seeds, spread best − worst) and "
                + "relate scores to wording features: length, question vs imperative, mentions the options, "
                + "mentions the output format.",
                "Uses rows whose instruction_id names one wording; writes instructions.csv and a self-contained "
                + "instructions.html."})
public final class InstructionsAnalyzeCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RESULTS.csv", description = "Results with one row per (task, wording, seed).")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default: the results file's directory).")
    Path out;

    @Option(names = "--instructions-dir", paramLabel = "DIR",
            description = "The instruction files that were evaluated (default: instructions/ of the dialtune home).")
    Path instructionsDir;

    @Mixin
    StatsOptions stats;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (!Files.isRegularFile(results)) throw new UserError(results + ": file not found");
        ResultStore.Snapshot snapshot = new ResultStore(results).snapshot();
        if (snapshot.incompleteLastLine()) {
            spec.commandLine().getErr().println("dialtune: warning: " + results + ": left out an incomplete last line");
        }
        List<ResultRow> rows = snapshot.rows();
        if (InstructionAnalysis.wordingRows(rows).isEmpty()) {
            throw new UserError(results + ": no row scored a single instruction wording (instruction_id is none or "
                    + "sampled everywhere); evaluate each wording separately first");
        }
        Path dir = instructionsDir != null ? instructionsDir : DialtuneHome.instructionsDir();
        Path target = out != null ? out : results.toAbsolutePath().getParent();
        analyzeAndWrite(rows, dir, stats.config(), target, results.toString(), spec.commandLine().getOut());
    }

    /** Analyses the per-wording rows, writes instructions.csv/html into {@code target} and prints one line per task. */
    static void analyzeAndWrite(List<ResultRow> rows, Path instructionsDir, org.dialtune.eval.stats.StatsConfig config,
                                Path target, String source, java.io.PrintWriter o) {
        TreeSet<String> tasks = new TreeSet<>();
        for (ResultRow r : InstructionAnalysis.wordingRows(rows)) tasks.add(r.task());
        InstructionAnalysis.Result result = InstructionAnalysis.analyze(rows, WordingFiles.load(instructionsDir, tasks), config);
        List<Path> files = InstructionReport.write(result, target, source);
        for (TaskRanking t : result.rankings()) {
            o.println(t.context().label(result.severalConditions()) + ": best "
                    + t.wordings().get(0).wording().id() + " " + Numbers.score(t.wordings().get(0).seeds().mean())
                    + ", worst " + t.wordings().get(t.wordings().size() - 1).wording().id() + " "
                    + Numbers.score(t.wordings().get(t.wordings().size() - 1).seeds().mean())
                    + ", spread " + Numbers.score(t.spread()));
        }
        o.println("-> " + files.get(0) + ", " + files.get(1));
    }
}
