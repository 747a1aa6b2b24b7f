package org.dialtune.cli;

import picocli.CommandLine.Command;

/** {@code dialtune experiment}: experiment grids. */
@Command(name = "experiment", description = "Plan, run and submit experiment grids (see eval/README.md).",
        subcommands = {ExperimentPlanCommand.class, ExperimentRunCommand.class, ExperimentSubmitCommand.class,
                ExperimentStatusCommand.class})
public final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
