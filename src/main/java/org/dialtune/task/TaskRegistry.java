package org.dialtune.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dialtune.common.UserError;

/**
 * Every task file of one or more task directories, parsed and checked. Loading collects one error per
 * bad file so {@code tasks validate} can report them all; other commands call {@link #requireValid}.
 */
public final class TaskRegistry {
    /** JSON files in a task directory that are not task files. */
    public static final Set<String> NOT_TASK_FILES = Set.of("data-manifest.json");

    private final Map<String, Task> tasks;
    private final List<String> errors;

    private TaskRegistry(Map<String, Task> tasks, List<String> errors) {
        this.tasks = tasks;
        this.errors = errors;
    }

    public static TaskRegistry load(List<Path> dirs, TaskFileParser parser) {
        Map<String, Task> tasks = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                errors.add(dir + ": task directory not found (use --tasks-dir DIR)");
                continue;
            }
            for (Path f : jsonFiles(dir)) {
                try {
                    Task t = parser.parse(f);
                    Task before = tasks.putIfAbsent(t.name(), t);
                    if (before != null) {
                        errors.add(f + ": field \"name\": task \"" + t.name() + "\" is already defined in "
                                + before.file() + " (rename one of them)");
                    }
                } catch (UserError e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (tasks.isEmpty() && errors.isEmpty()) errors.add(dirs + ": no task files (*.json) found");
        errors.addAll(sameTags(tasks.values()));
        return new TaskRegistry(Collections.unmodifiableMap(tasks), List.copyOf(errors));
    }

    /**
     * Tasks on one dataset must differ in their tag: without instructions the tag is all that tells
     * their sources apart (e.g. DialogSum's summaries and topics are written from the same dialogues).
     */
    private static List<String> sameTags(java.util.Collection<Task> tasks) {
        Map<String, Task> seen = new java.util.HashMap<>();
        List<String> errors = new ArrayList<>();
        for (Task t : tasks) {
            Task other = seen.putIfAbsent(t.dataset() + "\u0000" + t.tag(), t);
            if (other != null) {
                errors.add(t.file() + ": field \"tag\": \"" + t.tag() + "\" is also the tag of task " + other.name()
                        + " on the same dataset, so without instructions their sources would be identical (give one"
                        + " a distinct \"tag\")");
            }
        }
        return errors;
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !NOT_TASK_FILES.contains(p.getFileName().toString()))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Problems found while loading, one line each. */
    public List<String> errors() {
        return errors;
    }

    public TaskRegistry requireValid() {
        if (!errors.isEmpty()) {
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more; run 'dialtune tasks validate')" : "";
            throw new UserError(errors.get(0) + more);
        }
        return this;
    }

    /** Valid tasks by name, sorted. */
    public List<Task> tasks() {
        return List.copyOf(tasks.values());
    }

    public Task get(String name) {
        Task t = tasks.get(name);
        if (t == null) {
            throw new UserError("unknown task \"" + name + "\" (known: " + String.join(", ", tasks.keySet())
                    + "; see 'dialtune tasks list')");
        }
        return t;
    }

    /** {@code all} or a comma-separated list of task names. */
    public List<Task> select(String spec) {
        if (spec.strip().equals("all")) return tasks();
        Map<String, Task> out = new LinkedHashMap<>();
        for (String n : spec.split(",")) {
            if (!n.isBlank()) out.put(n.strip(), get(n.strip()));
        }
        if (out.isEmpty()) throw new UserError("--tasks: no task names given (use a comma-separated list or all)");
        return List.copyOf(out.values());
    }
}
