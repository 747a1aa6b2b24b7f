package org.dialtune.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.InstructionPolicy;
import org.dialtune.format.TaskConverter;
import org.dialtune.task.SplitCounts;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune tasks validate}: parses every task and instruction file, reads and formats every
 * example of every split, prints counts and every problem, and fails if there was any.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check every task and instruction file and read all their data.")
public final class TasksValidateCommand implements Runnable {
    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;
    private final FormatterConfig formatterConfig;

    @Inject
    TasksValidateCommand(TaskFileParser parser, FormatterConfig formatterConfig) {
        this.parser = parser;
        this.formatterConfig = formatterConfig;
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TaskSourceOptions.Catalog c = sources.load(parser);
        List<String> problems = new ArrayList<>(c.tasks().errors());
        problems.addAll(c.instructions().errors());
        out.println("data directory: " + c.dataDir());
        int ok = 0;
        TaskConverter converter = new TaskConverter(formatterConfig, InstructionPolicy.sampled(0));
        for (Task t : c.tasks().tasks()) {
            List<String> own = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            try {
                TaskData d = TaskData.load(t, c.dataDir(), List.of());
                for (String s : d.splits().keySet()) {
                    // Formatting every example checks the templates end to end; nothing is kept.
                    long truncated = converter.each(d, s, c.instructions().forTask(t.name()), -1, x -> { }).truncated();
                    SplitCounts counts = d.splits().get(s).counts();
                    line.append(" ").append(describe(s, counts, truncated));
                    for (String p : counts.firstProblems()) own.add(t.file() + ": split \"" + s + "\": skipped row " + p);
                    if (counts.skipped() > counts.firstProblems().size()) {
                        own.add(t.file() + ": split \"" + s + "\": " + counts.skipped() + " rows skipped in all");
                    }
                }
                if (d.labels() != null) line.append(" labels=").append(d.labels().raw().size());
            } catch (UserError e) {
                own.add(e.getMessage());
            }
            if (own.isEmpty() && c.instructions().forTask(t.name()) != null) {
                ok++;
                out.println("ok      " + t.name() + ":" + line);
            } else {
                out.println("FAILED  " + t.name() + ":" + line);
                problems.addAll(own);
            }
        }
        for (String p : problems) err.println("problem: " + p);
        int total = c.tasks().tasks().size();
        out.println(ok + " of " + total + " tasks OK" + (problems.isEmpty() ? "" : ", " + problems.size() + " problems"));
        if (!problems.isEmpty()) {
            throw new UserError("tasks validate: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + " (listed above)");
        }
    }

    static String describe(String split, SplitCounts c, long truncated) {
        StringBuilder sb = new StringBuilder(split + "=" + c.kept());
        List<String> notes = new ArrayList<>();
        if (c.capped() > 0) notes.add("capped " + c.capped());
        if (c.filtered() > 0) notes.add("filtered " + c.filtered());
        if (c.skipped() > 0) notes.add("SKIPPED " + c.skipped());
        if (truncated > 0) notes.add("truncated " + truncated);
        if (!notes.isEmpty()) sb.append(" (").append(String.join(", ", notes)).append(")");
        return sb.toString();
    }
}
