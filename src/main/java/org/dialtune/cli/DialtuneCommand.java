package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command; each user job is a subcommand. */
@Command(
        name = "dialtune",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Multi-task and instruction tuning of small seq2seq models on dialogue tasks.",
        subcommands = {
                picocli.CommandLine.HelpCommand.class,
                BenchCommand.class,
                ConvertCommand.class,
                DataCommand.class,
                DemoCommand.class,
                ExperimentCommand.class,
                GenerateCommand.class,
                InstructionsCommand.class,
                MetricCommand.class,
                ModelCommand.class,
                RankCommand.class,
                ReportCommand.class,
                TasksCommand.class,
                TokenizeCommand.class,
                TrainCommand.class,
        })
public final class DialtuneCommand implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces on errors.")
    boolean debug;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
