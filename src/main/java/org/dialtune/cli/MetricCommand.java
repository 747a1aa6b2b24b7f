package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune metric ...}: score prediction files without running a model. */
@Command(
        name = "metric",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Score predictions against references (Rouge-L as rouge_score computes it, accuracy).",
        subcommands = {MetricRougeLCommand.class, MetricAccuracyCommand.class})
public final class MetricCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
