package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.GitInfo;
import org.dialtune.common.RunDirLock;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.ExperimentRunner;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.GridUnit;
import org.dialtune.pipeline.ExperimentSpec;
import org.dialtune.pipeline.RunPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune experiment run FILE --out DIR}: runs (or resumes) a grid into DIR/results.csv; with
 * {@code --unit ID} or {@code --array-index N} exactly one unit of its plan (what a Slurm array task runs).
 */
@Command(name = "run", description = {"Run an experiment grid; rerunning resumes it, skipping finished cells.",
        "With --unit or --array-index, run one unit of the plan ('experiment plan FILE' lists them): units may run at "
                + "once, on different machines, into the same --out."})
public final class ExperimentRunCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE.json", description = "Experiment file (eval/experiments/*.json).")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (results.csv, models, logs).")
    Path out;

    @Option(names = "--unit", paramLabel = "ID", description = "Run only this unit (a stage or a cell id from 'experiment plan').")
    String unit;

    @Option(names = "--array-index", paramLabel = "N",
            description = "Run only the unit at this index of the plan (DIR/plan.json when the grid was submitted).")
    Integer arrayIndex;

    @Mixin
    ComputeOptions compute;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    ExperimentRunCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        ExperimentSpec x = load(file);
        PrintWriter o = spec.commandLine().getOut();
        if (unit != null || arrayIndex != null) {
            runOne(x, o);
            return;
        }
        try (RunDirLock lock = RunDirLock.acquire(out, spec.commandLine().getErr()::println)) {
            RunPipeline pipeline = pipelines.create(sources, compute.device(), compute.precision(), 10, 1, o::println);
            ExperimentRunner runner = new ExperimentRunner(pipeline, GitInfo.commit(DialtuneHome.home()), o::println);
            o.println("experiment " + x.name() + ": " + runner.plan(x).cells().size() + " cells → " + out);
            runner.run(x, out);
        }
    }

    /** The grid file, its relative paths read against the working directory, its models checked. */
    static ExperimentSpec load(Path file) {
        ExperimentSpec x = ExperimentSpec.load(file, Path.of("").toAbsolutePath());
        for (String id : x.models().keySet()) {
            if (!x.models().get(id).resolve("config.json").toFile().isFile()) {
                throw new UserError(file + ": field \"models." + id + "\": " + x.models().get(id)
                        + " is not a checkpoint directory (no config.json)");
            }
        }
        return x;
    }

    /**
     * One unit, without the run directory's lock (other units may be running into it) but under its own.
     * An array index is read against the plan the grid was submitted with, and that unit must still be in
     * the spec's plan: an edited spec cannot make a queued array task run a different unit.
     */
    private void runOne(ExperimentSpec x, PrintWriter o) {
        if (unit != null && arrayIndex != null) throw new UserError("--unit and --array-index: give one of them");
        RunPipeline pipeline = pipelines.create(sources, compute.device(), compute.precision(), 10, 1, o::println);
        ExperimentRunner runner = new ExperimentRunner(pipeline, GitInfo.commit(DialtuneHome.home()), o::println, System.getenv());
        GridPlan plan = runner.plan(x);
        GridUnit chosen;
        if (arrayIndex != null) {
            GridPlan submitted = GridPlan.readIn(out);
            chosen = submitted == null ? plan.atIndex(arrayIndex) : submitted.atIndex(arrayIndex);
            if (submitted != null && !submitted.sameUnits(plan)) {
                throw new UserError(out.resolve(GridPlan.FILE) + ": " + file + " no longer has the units it was submitted with "
                        + "(edited since?): array index " + arrayIndex + " meant " + chosen.id() + "; restore the spec, or "
                        + "submit it to another --out");
            }
        } else {
            chosen = plan.unit(unit);
        }
        o.println("experiment " + x.name() + ": " + chosen.kind().label() + " " + chosen.id() + " (unit " + chosen.index()
                + " of " + plan.units().size() + ") → " + out);
        runner.runUnit(x, plan, chosen, out);
    }
}
