package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dialtune tasks list|show|validate|catalog|splits}. */
@Command(name = "tasks", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List, show and validate task files.",
        subcommands = {TasksListCommand.class, TasksShowCommand.class, TasksValidateCommand.class,
                TasksCatalogCommand.class, TasksSplitsCommand.class})
public final class TasksCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
