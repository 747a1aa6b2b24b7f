package org.dialtune.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.task.ZeroShotSplit;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune tasks splits FILE...}: checks zero-shot split files against the task files (no data is read). */
@Command(name = "splits", description = "Check zero-shot split files (eval/splits/*.json) against the task files.")
public final class TasksSplitsCommand implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Split files, e.g. eval/splits/split1.json.")
    List<Path> files;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;

    @Inject
    TasksSplitsCommand(TaskFileParser parser) {
        this.parser = parser;
    }

    @Override
    public void run() {
        TaskRegistry registry = TaskRegistry.load(sources.tasksDirs(), parser).requireValid();
        PrintWriter out = spec.commandLine().getOut();
        for (Path f : files) {
            ZeroShotSplit s = ZeroShotSplit.load(f, registry);
            long classification = s.test().stream().filter(Task::isClassification).count();
            out.println(s.name() + ": " + s.train().size() + " train, " + s.test().size() + " test (" + classification
                    + " classification, " + (s.test().size() - classification) + " generation): "
                    + String.join(", ", s.test().stream().map(Task::name).toList()));
        }
    }
}
