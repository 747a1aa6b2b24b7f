package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune model ...}: checkpoint utilities. */
@Command(name = "model", description = "Create, trim and inspect checkpoints, and merge LoRA adapters into them.",
        subcommands = {ModelInitCommand.class, ModelTrimCommand.class, ModelMergeCommand.class})
public final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
