package org.dialtune.task;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.common.SpecObject;

/**
 * A zero-shot split ({@code eval/splits/*.json}: {@code {"name", "description", "train": [...],
 * "test": [...]}}) checked against the task registry. The rules keep the held-out evaluation honest:
 * every name is a known task, listed once; no task is both trained on and tested; training tasks have a
 * {@code train} split and test tasks a {@code test} split; the test tasks include both classification and
 * generation; and no test task shares its (dataset, family) with a training task, so a test task is
 * never the same question asked of the same data as something the model was trained on.
 */
public record ZeroShotSplit(String name, String description, List<Task> train, List<Task> test, Path file) {
    public ZeroShotSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    public static ZeroShotSplit load(Path file, TaskRegistry registry) {
        SpecObject o = SpecObject.of(file, "", Json.parseFile(file));
        String name = o.string("name");
        String description = o.optString("description", "");
        List<String> train = o.stringList("train");
        List<String> test = o.stringList("test");
        o.finish();
        return validate(file, name, description, train, test, registry);
    }

    /** Checks already-parsed task lists; errors name {@code file} and the field. */
    public static ZeroShotSplit validate(Path file, String name, String description, List<String> train,
            List<String> test, TaskRegistry registry) {
        List<Task> trainTasks = resolve(file, "train", train, registry);
        List<Task> testTasks = resolve(file, "test", test, registry);
        Set<String> trainNames = new LinkedHashSet<>(train);
        for (Task t : testTasks) {
            if (trainNames.contains(t.name())) {
                throw error(file, "test", "task \"" + t.name() + "\" is also in \"train\" (a test task must be held out)");
            }
        }
        requireSplit(file, "train", trainTasks, "train");
        requireSplit(file, "test", testTasks, "test");
        for (TaskType type : TaskType.values()) {
            if (testTasks.stream().noneMatch(t -> t.type() == type)) {
                throw error(file, "test", "no " + type.id() + " task (test tasks must include both classification "
                        + "and generation)");
            }
        }
        Map<String, Task> trained = new HashMap<>();
        for (Task t : trainTasks) trained.putIfAbsent(t.dataset() + "\u0000" + t.family(), t);
        for (Task t : testTasks) {
            Task same = trained.get(t.dataset() + "\u0000" + t.family());
            if (same != null) {
                throw error(file, "test", "task \"" + t.name() + "\" shares dataset \"" + t.dataset() + "\" and family \""
                        + t.family() + "\" with training task \"" + same.name() + "\" (hold out both or neither)");
            }
        }
        return new ZeroShotSplit(name, description, trainTasks, testTasks, file);
    }

    private static List<Task> resolve(Path file, String field, List<String> names, TaskRegistry registry) {
        if (names.isEmpty()) throw error(file, field, "no tasks listed");
        Set<String> known = new java.util.HashSet<>(registry.tasks().stream().map(Task::name).toList());
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            if (!seen.add(n)) throw error(file, field, "task \"" + n + "\" is listed twice");
            if (!known.contains(n)) {
                throw error(file, field, "unknown task \"" + n + "\" (see 'dialtune tasks list')");
            }
        }
        return names.stream().map(registry::get).toList();
    }

    private static void requireSplit(Path file, String field, List<Task> tasks, String split) {
        for (Task t : tasks) {
            if (!t.splits().containsKey(split)) {
                throw error(file, field, "task \"" + t.name() + "\" has no \"" + split + "\" split (its splits: "
                        + String.join(", ", t.splits().keySet()) + ")");
            }
        }
    }

    private static UserError error(Path file, String field, String problem) {
        return new UserError(file + ": field \"" + field + "\": " + problem);
    }
}
