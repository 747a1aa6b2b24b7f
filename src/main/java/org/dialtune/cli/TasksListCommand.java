package org.dialtune.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dialtune.common.UserError;
import org.dialtune.task.SplitData;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code dialtune tasks list}: one line per task with its examples per split. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List tasks: name, family, type, metric, #instructions, #examples per split.")
public final class TasksListCommand implements Runnable {
    @Mixin
    TaskSourceOptions sources;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;

    @Inject
    TasksListCommand(TaskFileParser parser) {
        this.parser = parser;
    }

    @Override
    public void run() {
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TASK", "FAMILY", "TYPE", "METRIC", "INSTR", "DATASET", "EXAMPLES"});
        List<String> failed = new ArrayList<>();
        for (Task t : c.tasks().tasks()) {
            List<String> counts = new ArrayList<>();
            try {
                TaskData d = TaskData.load(t, c.dataDir(), List.of());
                for (Map.Entry<String, SplitData> s : d.splits().entrySet()) {
                    counts.add(s.getKey() + "=" + s.getValue().counts().kept());
                }
            } catch (UserError e) { // one broken dataset does not hide the other tasks
                counts.add("ERROR (see below)");
                failed.add(e.getMessage());
            }
            rows.add(new String[] {t.name(), t.family(), t.type().id(), t.metric(),
                    String.valueOf(c.instructions().forTask(t.name()).instructions().size()), t.dataset(),
                    String.join(" ", counts)});
        }
        Table.print(spec.commandLine().getOut(), rows);
        spec.commandLine().getOut().println(c.tasks().tasks().size() + " tasks, data from " + c.dataDir());
        for (String f : failed) spec.commandLine().getErr().println("problem: " + f);
        if (!failed.isEmpty()) {
            throw new UserError("tasks list: the data of " + failed.size() + " task" + (failed.size() == 1 ? "" : "s")
                    + " could not be read (listed above)");
        }
    }

    /** Left-aligned columns two spaces apart. */
    static final class Table {
        private Table() {}

        static void print(PrintWriter out, List<String[]> rows) {
            int[] w = new int[rows.get(0).length];
            for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    sb.append(r[i]);
                    if (i < r.length - 1) sb.append(" ".repeat(w[i] - r[i].length() + 2));
                }
                out.println(sb.toString().stripTrailing());
            }
        }
    }
}
