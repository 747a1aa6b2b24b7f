package org.dialtune.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code tasks} subcommands' sources: {@link TaskSourceOptions} plus {@code --tasks DIR} as another
 * name for {@code --tasks-dir} (elsewhere {@code --tasks} names tasks, so the alias lives only here).
 */
final class TaskCommandSources {
    @Mixin
    TaskSourceOptions sources;

    @Option(names = "--tasks", split = ",", paramLabel = "DIR", description = "Same as --tasks-dir.")
    List<Path> tasksAlias;

    /** The sources with the alias applied. */
    TaskSourceOptions get() {
        if (tasksAlias != null) sources.tasksDirs = tasksAlias;
        return sources;
    }
}
