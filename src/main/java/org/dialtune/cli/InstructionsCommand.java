package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune instructions ...}: how the wording of instructions affects scores. */
@Command(name = "instructions", description = "Compare instruction wordings.",
        subcommands = {InstructionsAnalyzeCommand.class, InstructionsCompareCommand.class})
public final class InstructionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
