package org.dialtune.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.ResultAssembler;
import org.dialtune.pipeline.slurm.GridStatus;
import org.dialtune.pipeline.slurm.SlurmQueue;
import org.dialtune.pipeline.slurm.SlurmTools;
import org.dialtune.pipeline.slurm.SubmissionLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune experiment status DIR}: done / running / pending / failed units of a submitted grid, and results.csv. */
@Command(name = "status", description = {"Show which units of a submitted grid are done, running, pending, failed or not "
        + "started (from the run directory's files, and from squeue/sacct where present), collect the finished cells "
        + "into DIR/results.csv, and say how to submit the rest again."})
public final class ExperimentStatusCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "DIR", description = "Run directory of 'experiment submit'.")
    Path dir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Path run = dir.toAbsolutePath().normalize();
        GridPlan plan = GridPlan.readIn(run);
        if (plan == null) {
            throw new UserError(run.resolve(GridPlan.FILE) + ": not found: " + dir + " was not submitted with 'dialtune experiment "
                    + "submit' (a grid run with 'experiment run' keeps its rows in results.csv)");
        }
        report(run, plan, new SlurmTools(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Prints the status, assembles results.csv (unless another process holds the run directory); true when every unit is done. */
    static boolean report(Path run, GridPlan plan, SlurmTools tools, PrintWriter o, PrintWriter err) {
        SubmissionLog log = SubmissionLog.read(run);
        SlurmQueue queue = SlurmQueue.query(tools, log.jobIds());
        GridStatus status = GridStatus.of(run, plan, log, queue);
        o.println("experiment " + plan.name() + " in " + run + ": " + status.summary()
                + (queue.live() ? "" : " — no squeue here: states from the files only"));
        for (GridStatus.UnitStatus u : status.units()) {
            if (u.state() == GridStatus.State.DONE) continue;
            o.println("  " + u.state().label() + "  " + u.unit().kind().label() + " " + u.unit().id()
                    + (u.task() == null ? "" : "  [" + u.task() + "]") + ": " + u.detail()
                    + (u.log() != null && u.state() == GridStatus.State.FAILED ? " (log: " + u.log() + ")" : ""));
        }
        try (RunDirLock lock = RunDirLock.acquire(run, err::println)) {
            ResultAssembler.Assembled a = ResultAssembler.assemble(run, plan);
            o.println("results: " + a.file() + " (" + a.rows() + " rows from " + a.cells() + " finished cells)");
        } catch (UserError e) {
            o.println("results.csv not collected now: " + e.getMessage());
        }
        List<GridStatus.UnitStatus> again = status.units().stream().filter(GridStatus.UnitStatus::toRun).toList();
        if (!again.isEmpty()) {
            List<String> command = log.command();
            o.println("to run the " + again.size() + " failed or not started units (finished and queued units are skipped): "
                    + (command.isEmpty() ? "dialtune experiment submit " + plan.spec() + " --out " + run + " --scheduler slurm ..."
                    : command.stream().map(ExperimentStatusCommand::shellWord).collect(Collectors.joining(" "))));
        }
        return status.in(GridStatus.State.DONE).size() == plan.units().size();
    }

    private static String shellWord(String s) {
        return s.equals("&&") || s.matches("[A-Za-z0-9_./=:,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
