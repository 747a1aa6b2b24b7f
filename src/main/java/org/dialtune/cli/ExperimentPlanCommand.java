package org.dialtune.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.dialtune.common.Json;
import org.dialtune.format.TaskExamples;
import org.dialtune.pipeline.ExperimentSpec;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.GridUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune experiment plan FILE}: the grid's units (shared stages, then cells) with their ids and indices. */
@Command(name = "plan", description = {"List an experiment grid's units: the shared training stages and the cells that "
        + "depend on them, with the stable ids and indices 'experiment run --unit/--array-index' take."})
public final class ExperimentPlanCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE.json", description = "Experiment file (eval/experiments/*.json).")
    Path file;

    @Option(names = "--json", description = "Print the plan as JSON (as submit writes it to DIR/plan.json).")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final RunPipelineFactory pipelines;

    @Inject
    ExperimentPlanCommand(RunPipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void run() {
        PrintWriter o = spec.commandLine().getOut();
        GridPlan plan = plan(pipelines, sources, compute, ExperimentSpec.load(file, Path.of("").toAbsolutePath()));
        if (json) {
            o.println(Json.PRETTY.toJson(plan.toJson()));
            return;
        }
        o.println("experiment " + plan.name() + " (" + plan.precision() + "): " + plan.units().size() + " units, "
                + plan.stages().size() + " stages and " + plan.cells().size() + " cells");
        int width = plan.units().stream().mapToInt(u -> u.id().length()).max().orElse(2);
        o.println(String.format("%-5s  %-5s  %-" + width + "s  %s", "index", "kind", "id", "needs"));
        for (GridUnit u : plan.units()) {
            o.println(String.format("%-5d  %-5s  %-" + width + "s  %s", u.index(), u.kind().label(), u.id(),
                    u.needs() == null ? "-" : u.needs()));
        }
    }

    /** The grid's plan, its split files checked against the task files (no data is read). */
    static GridPlan plan(RunPipelineFactory pipelines, TaskSourceOptions sources, ComputeOptions compute, ExperimentSpec x) {
        TaskExamples examples = pipelines.examples(sources, line -> { });
        return GridPlan.of(x, compute.precision(), f -> examples.split(f).name());
    }
}
