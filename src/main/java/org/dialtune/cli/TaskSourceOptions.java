package org.dialtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.DialtuneHome;
import org.dialtune.format.InstructionLibrary;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import picocli.CommandLine.Option;

/** Where task files, instruction files and data come from; shared by the task commands. */
public final class TaskSourceOptions {
    @Option(names = "--tasks-dir", split = ",", paramLabel = "DIR",
            description = "Task file directories (comma-separated; default: tasks/ of the installation).")
    List<Path> tasksDirs;

    @Option(names = "--instructions-dir", split = ",", paramLabel = "DIR",
            description = "Instruction file directories (default: instructions/ beside the first task directory, "
                    + "else instructions/ of the installation).")
    List<Path> instructionDirs;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory holding the datasets (default: $DIALTUNE_DATA, else ../shared/datasets "
                    + "beside the installation, else data/).")
    Path data;

    /** Task files and instruction files, parsed and cross-checked. */
    public record Catalog(TaskRegistry tasks, InstructionLibrary instructions, Path dataDir) {
        public Catalog requireValid() {
            tasks.requireValid();
            instructions.requireValid();
            return this;
        }
    }

    public List<Path> tasksDirs() {
        return tasksDirs == null || tasksDirs.isEmpty() ? List.of(DialtuneHome.tasksDir()) : tasksDirs;
    }

    public List<Path> instructionDirs() {
        if (instructionDirs != null && !instructionDirs.isEmpty()) return instructionDirs;
        if (tasksDirs != null && !tasksDirs.isEmpty()) {
            Path sibling = tasksDirs.get(0).toAbsolutePath().normalize().resolveSibling("instructions");
            if (Files.isDirectory(sibling)) return List.of(sibling);
        }
        return List.of(DialtuneHome.instructionsDir());
    }

    public Path dataDir() {
        return (data != null ? data : DialtuneHome.defaultDataDir()).toAbsolutePath().normalize();
    }

    public Catalog load(TaskFileParser parser) {
        TaskRegistry tasks = TaskRegistry.load(tasksDirs(), parser);
        InstructionLibrary ins = InstructionLibrary.load(instructionDirs(),
                tasks.tasks().stream().map(Task::name).toList());
        return new Catalog(tasks, ins, dataDir());
    }
}
