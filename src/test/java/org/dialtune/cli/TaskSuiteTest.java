package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtune.format.InstructionLibrary;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import org.dialtune.task.TaskType;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The committed suite (tasks/, instructions/, tasks/CATALOG.md) meets issue #7 and its catalog is current. */
class TaskSuiteTest {
    static final Path TASKS = Path.of("tasks");
    static final Path INSTRUCTIONS = Path.of("instructions");
    /** Per-split caps of the suite (see eval/splits/README.md): classification / generation. */
    static final Map<String, int[]> CAPS = Map.of("train", new int[] {5000, 4000}, "validation", new int[] {1000, 1000},
            "test", new int[] {2000, 1000});

    static TaskRegistry registry() {
        TaskFileParser parser = Guice.createInjector(DialtuneModules.all()).getInstance(TaskFileParser.class);
        return TaskRegistry.load(List.of(TASKS), parser).requireValid();
    }

    @Test
    void suiteHasEnoughTasksFamiliesAndWordings() {
        List<Task> tasks = registry().tasks();
        InstructionLibrary ins = InstructionLibrary.load(List.of(INSTRUCTIONS), tasks.stream().map(Task::name).toList())
                .requireValid();
        assertTrue(tasks.size() >= 40, tasks.size() + " tasks");
        assertTrue(new TreeSet<>(tasks.stream().map(Task::family).toList()).size() >= 12, "families");
        assertTrue(tasks.stream().anyMatch(t -> t.type() == TaskType.GENERATION));
        assertTrue(tasks.stream().anyMatch(t -> t.type() == TaskType.CLASSIFICATION));
        int wordings = 0;
        for (Task t : tasks) {
            int n = ins.forTask(t.name()).instructions().size();
            assertTrue(n >= 3 && n <= 10, t.name() + ": " + n + " wordings");
            wordings += n;
        }
        assertTrue(wordings >= 4.4 * tasks.size(), "average wordings " + (double) wordings / tasks.size());
    }

    @Test
    void committedCatalogIsWhatTheCommandGeneratesAndRespectsTheCaps() throws Exception {
        Path data = SharedData.require("datasets");
        CliRunner.Result r = CliRunner.run("tasks", "catalog", "--check", "--tasks-dir", TASKS.toString(),
                "--data", data.toString());
        assertEquals(0, r.exitCode(), r.err());

        // Every split as listed in the (now known current) catalog stays within the suite's caps.
        Pattern row = Pattern.compile("^\\| (\\S+) \\| \\S+ \\| (classification|generation) \\|.*\\| ([^|]+) \\|$");
        Pattern split = Pattern.compile("(\\w+) ([\\d,]+)");
        int rows = 0;
        for (String line : Files.readAllLines(TASKS.resolve("CATALOG.md"))) {
            Matcher m = row.matcher(line);
            if (!m.matches() || m.group(1).equals("task")) continue;
            rows++;
            int kind = m.group(2).equals("classification") ? 0 : 1;
            for (String part : m.group(3).split(" · ")) {
                Matcher s = split.matcher(part.strip());
                assertTrue(s.lookingAt(), line);
                int n = Integer.parseInt(s.group(2).replace(",", ""));
                int cap = CAPS.get(s.group(1))[kind];
                assertTrue(n <= cap, m.group(1) + " " + s.group(1) + ": " + n + " examples, cap " + cap);
            }
        }
        assertEquals(registry().tasks().size(), rows);
    }
}
