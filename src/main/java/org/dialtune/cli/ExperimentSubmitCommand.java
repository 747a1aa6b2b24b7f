package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.ExperimentSpec;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.slurm.GridStatus;
import org.dialtune.pipeline.slurm.GridSubmitter;
import org.dialtune.pipeline.slurm.SbatchScript;
import org.dialtune.pipeline.slurm.SlurmOptions;
import org.dialtune.pipeline.slurm.SlurmQueue;
import org.dialtune.pipeline.slurm.SlurmTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune experiment submit FILE --out DIR --scheduler slurm}: the grid's unfinished units as two
 * Slurm job arrays (stages, then cells after them); see {@link GridSubmitter}.
 */
@Command(name = "submit", description = {"Submit an experiment grid to a cluster scheduler: the shared training stages "
        + "as one Slurm job array, the cells as a second that starts when they succeed. Scripts go to DIR/slurm/, each "
        + "array task's log to DIR/slurm/logs/. Submitting again submits only the units not finished and not queued.",
        "DIR and the installation must be on a filesystem every node sees."})
public final class ExperimentSubmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.json", description = "Experiment file (eval/experiments/*.json).")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory, on the shared filesystem.")
    Path out;

    @Option(names = "--scheduler", required = true, paramLabel = "slurm", description = "The scheduler (only slurm).")
    String scheduler;

    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition (default: the cluster's).")
    String partition;

    @Option(names = "--gpus-per-task", paramLabel = "G", description = "GPUs per unit: a count or TYPE:COUNT (needs --device gpu).")
    String gpusPerTask;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "CPUs per unit (also libtorch's thread count).")
    Integer cpusPerTask;

    @Option(names = "--mem", paramLabel = "M", description = "Memory per unit, e.g. 32G.")
    String mem;

    @Option(names = "--time", paramLabel = "T", description = "Time limit per unit, e.g. 4:00:00 or 1-00:00:00.")
    String time;

    @Option(names = "--max-parallel", paramLabel = "N", description = "At most N tasks of each array at once.")
    Integer maxParallel;

    @Option(names = "--account", paramLabel = "A", description = "Slurm account to charge.")
    String account;

    @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "A further sbatch option for every unit, e.g. "
            + "--sbatch-arg=--qos=long (repeatable).")
    List<String> sbatchArgs = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the scripts and sbatch commands; write and submit nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait until the arrays finish, collect results.csv, and exit non-zero if any unit failed.")
    boolean await;

    @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "10",
            description = "How often --wait asks squeue (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Mixin
    ComputeOptions compute;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    ExperimentSubmitCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Integer call() {
        if (!scheduler.equals("slurm")) throw new UserError("--scheduler: unknown scheduler \"" + scheduler + "\" (supported: slurm)");
        SlurmOptions options = new SlurmOptions(partition, gpusPerTask, cpusPerTask, mem, time, maxParallel, account, sbatchArgs);
        if (options.wantsGpus() && !compute.device().isGpu()) {
            throw new UserError("--gpus-per-task " + gpusPerTask + " with --device " + compute.device
                    + ": the units would not use the GPUs; add --device gpu");
        }
        if (pollSeconds < 1) throw new UserError("--poll-seconds: " + pollSeconds + " is not at least 1");
        PrintWriter o = spec.commandLine().getOut();
        Path run = out.toAbsolutePath().normalize();
        ExperimentSpec x = ExperimentRunCommand.load(file);
        GridPlan plan = ExperimentPlanCommand.plan(pipelines, sources, compute, x);
        SlurmTools tools = new SlurmTools();
        GridSubmitter submitter = new GridSubmitter(tools, o::println);
        GridSubmitter.Submission s;
        if (dryRun) {
            s = submitter.submit(plan, run, Path.of("").toAbsolutePath(), unitCommand(), options, List.of(), true);
            printDryRun(s, o);
            return 0;
        }
        try (RunDirLock lock = RunDirLock.acquire(run, spec.commandLine().getErr()::println)) {
            s = submitter.submit(plan, run, Path.of("").toAbsolutePath(), unitCommand(), options, submitCommand(), false);
        }
        if (!await) return 0;
        // arrays of earlier submissions may still hold units of this grid too
        awaitArrays(tools, List.copyOf(org.dialtune.pipeline.slurm.SubmissionLog.read(run).jobIds()), o);
        if (ExperimentStatusCommand.report(run, plan, tools, o, spec.commandLine().getErr())) return 0;
        spec.commandLine().getErr().println("dialtune: error: not every unit of " + plan.name() + " finished (see above and "
                + "'dialtune experiment status " + out + "')");
        return 1;
    }

    /** Polls squeue until no task of these arrays is pending or running. */
    private void awaitArrays(SlurmTools tools, List<String> jobIds, PrintWriter o) {
        if (jobIds.isEmpty()) return;
        tools.require("squeue");
        o.println("waiting for " + String.join(", ", jobIds) + " (squeue every " + pollSeconds + " s)");
        String last = "";
        while (true) {
            SlurmQueue q = SlurmQueue.query(tools, jobIds);
            if (!q.live()) throw new UserError("squeue did not answer while waiting for " + String.join(", ", jobIds)
                    + ": check the cluster (scontrol ping), then 'dialtune experiment status " + out + "'");
            if (!q.anyActive(jobIds)) return;
            String now = q.describeActive(jobIds);
            if (!now.equals(last)) o.println("  " + now);
            last = now;
            try {
                Thread.sleep(pollSeconds * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while waiting; the arrays keep running: 'dialtune experiment status " + out + "'");
            }
        }
    }

    private void printDryRun(GridSubmitter.Submission s, PrintWriter o) {
        if (s.empty()) return;
        for (SbatchScript script : new SbatchScript[] {s.stages(), s.cells()}) {
            if (script == null) continue;
            o.println("# ---- " + script.file() + " ----");
            o.print(script.text());
        }
        o.println("# ---- would submit with ----");
        if (s.stages() != null) o.println("sbatch --parsable " + s.stages().file());
        if (s.cells() != null) {
            o.println("sbatch --parsable" + (s.dependencies().isEmpty() ? "" : " --dependency=afterok:"
                    + String.join(":", s.dependencies())) + " " + s.cells().file());
        }
    }

    /** The command that runs one unit of this grid, with this command's data, task and compute options, paths absolute. */
    private List<String> unitCommand() {
        List<String> c = new ArrayList<>(List.of(DialtuneHome.home().resolve("bin/dialtune").toString(), "experiment", "run",
                file.toAbsolutePath().normalize().toString(), "--out", out.toAbsolutePath().normalize().toString(),
                "--data", sources.dataDir().toString()));
        if (sources.tasksDirs != null && !sources.tasksDirs.isEmpty()) {
            c.add("--tasks-dir");
            c.add(sources.tasksDirs.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(",")));
        }
        if (sources.instructionDirs != null && !sources.instructionDirs.isEmpty()) {
            c.add("--instructions-dir");
            c.add(sources.instructionDirs.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(",")));
        }
        c.addAll(List.of("--device", compute.device, "--precision", compute.precision));
        return c;
    }

    /** This command line from its directory, for status's "submit again" hint (without --dry-run and --wait). */
    private List<String> submitCommand() {
        List<String> c = new ArrayList<>(List.of("cd", Path.of("").toAbsolutePath().toString(), "&&", "dialtune"));
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            if (!a.equals("--wait") && !a.equals("--dry-run")) c.add(a);
        }
        return c;
    }
}
