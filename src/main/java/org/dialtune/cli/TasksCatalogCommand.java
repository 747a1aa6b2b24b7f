package org.dialtune.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.UserError;
import org.dialtune.task.SplitCounts;
import org.dialtune.task.SplitData;
import org.dialtune.task.Task;
import org.dialtune.task.TaskCatalog;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune tasks catalog}: the Markdown catalog of every task (reads all data for the counts),
 * printed, written atomically with {@code --out}, or compared with the committed file by {@code --check}.
 */
@Command(name = "catalog", description = "Generate tasks/CATALOG.md (one row per task, counts after caps).")
public final class TasksCatalogCommand implements Runnable {
    @Mixin
    TaskSourceOptions sources;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the catalog here (atomically) instead of printing it.")
    Path out;

    @Option(names = "--check", description = "Compare with FILE (--out, default CATALOG.md in the first task directory) "
            + "and fail if it differs; writes nothing.")
    boolean check;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final TaskFileParser parser;

    @Inject
    TasksCatalogCommand(TaskFileParser parser) {
        this.parser = parser;
    }

    @Override
    public void run() {
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        // Tasks are independent; reading them in parallel keeps the command (and its CI check) fast.
        List<TaskCatalog.Row> rows = c.tasks().tasks().parallelStream().map(t -> row(c, t)).toList();
        String text = TaskCatalog.render(rows);
        if (check) {
            Path file = out != null ? out : sources.tasksDirs().get(0).resolve("CATALOG.md");
            check(file, text);
            spec.commandLine().getOut().println(file + " is up to date (" + rows.size() + " tasks)");
        } else if (out != null) {
            AtomicFiles.writeString(out, text);
            spec.commandLine().getOut().println("wrote " + out + " (" + rows.size() + " tasks)");
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
    }

    private static TaskCatalog.Row row(TaskSourceOptions.Catalog c, Task t) {
        TaskData d = TaskData.load(t, c.dataDir(), List.of());
        Map<String, SplitCounts> counts = new LinkedHashMap<>();
        for (Map.Entry<String, SplitData> s : d.splits().entrySet()) counts.put(s.getKey(), s.getValue().counts());
        return new TaskCatalog.Row(t, c.instructions().forTask(t.name()).instructions().size(), counts);
    }

    private static void check(Path file, String expected) {
        String actual;
        try {
            actual = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": not found (generate it with 'dialtune tasks catalog --out " + file + "')");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        if (actual.equals(expected)) return;
        String[] a = actual.split("\n", -1);
        String[] b = expected.split("\n", -1);
        int line = 0;
        while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) line++;
        throw new UserError(file + ": line " + (line + 1) + ": out of date with the task files "
                + "(regenerate it with 'dialtune tasks catalog --out " + file + "')");
    }
}
