package org.dialtune.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import org.dialtune.format.ConvertedSplit;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.InstructionSet;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.format.TaskConverter;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune tasks show TASK}: the first examples of a split, rendered as the model sees them. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show rendered examples of a task.")
public final class TasksShowCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "TASK", description = "Task name (see 'dialtune tasks list').")
    String taskName;

    @Option(names = "--split", paramLabel = "S", description = "Split to show (default: the task's first split).")
    String split;

    @Option(names = "-n", paramLabel = "N", defaultValue = "3", description = "Number of examples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--instruction", paramLabel = "ID|none|random", defaultValue = "random",
            description = "Instruction wording: an id, none, or random (sampled per example with --seed; default).")
    String instruction;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random instruction choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;
    private final FormatterConfig formatterConfig;

    @Inject
    TasksShowCommand(TaskFileParser parser, FormatterConfig formatterConfig) {
        this.parser = parser;
        this.formatterConfig = formatterConfig;
    }

    @Override
    public void run() {
        if (n < 1) throw new org.dialtune.common.UserError("-n: must be at least 1, got " + n);
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        Task task = c.tasks().get(taskName);
        String s = split != null ? split : task.splits().keySet().iterator().next();
        InstructionSet set = c.instructions().forTask(task.name());
        InstructionPolicy policy = switch (instruction) {
            case "none" -> InstructionPolicy.off();
            case "random" -> InstructionPolicy.sampled(seed);
            default -> {
                set.get(instruction); // unknown id: one-line error before any data is read
                yield InstructionPolicy.fixed(instruction);
            }
        };
        TaskData data = TaskData.load(task, c.dataDir(), List.of(s));
        ConvertedSplit out = new TaskConverter(formatterConfig, policy).convert(data, s, set, n);
        PrintWriter w = spec.commandLine().getOut();
        w.println(task.name() + " (" + task.family() + ", " + task.type().id() + ", metric " + task.metric()
                + ", dataset " + task.dataset() + ", license " + task.license() + ")");
        w.println("split " + s + ": " + out.counts().kept() + " examples; showing " + out.examples().size());
        for (Seq2SeqExample e : out.examples()) {
            w.println();
            w.println("--- " + e.id() + " (instruction: " + (e.instructionId() == null ? "none" : e.instructionId()) + ")");
            w.println(e.source());
            w.println("TARGET: " + e.target());
            if (!e.options().isEmpty()) w.println("OPTIONS (" + e.options().size() + "): " + String.join(" || ", e.options()));
        }
    }
}
