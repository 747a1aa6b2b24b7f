package org.dialtune.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dialtune.common.UserError;

/**
 * The instruction files of one or more directories, checked against the known task names: every task
 * needs a file, and every file must belong to a task. Errors are collected (one line each).
 */
public final class InstructionLibrary {
    private final Map<String, InstructionSet> sets;
    private final List<String> errors;

    private InstructionLibrary(Map<String, InstructionSet> sets, List<String> errors) {
        this.sets = sets;
        this.errors = errors;
    }

    public static InstructionLibrary load(List<Path> dirs, Collection<String> taskNames) {
        Map<String, InstructionSet> sets = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                errors.add(dir + ": instruction directory not found (use --instructions-dir DIR)");
                continue;
            }
            for (Path f : list(dir)) {
                try {
                    InstructionSet s = InstructionFileParser.parse(f);
                    if (!taskNames.contains(s.task())) {
                        errors.add(f + ": field \"task\": no task named \"" + s.task() + "\" (add tasks/" + s.task()
                                + ".json or delete this file)");
                        continue;
                    }
                    InstructionSet before = sets.putIfAbsent(s.task(), s);
                    if (before != null) {
                        errors.add(f + ": field \"task\": instructions for \"" + s.task() + "\" are already in "
                                + before.file() + " (merge the two files)");
                    }
                } catch (UserError e) {
                    errors.add(e.getMessage());
                }
            }
        }
        for (String t : taskNames) {
            if (!sets.containsKey(t) && errors.stream().noneMatch(e -> e.contains("/" + t + ".json:"))) {
                errors.add((dirs.isEmpty() ? "instructions" : dirs.get(0)) + "/" + t + ".json: file not found "
                        + "(every task needs " + InstructionFileParser.MIN + " to " + InstructionFileParser.MAX
                        + " instruction wordings)");
            }
        }
        return new InstructionLibrary(sets, List.copyOf(errors));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    public List<String> errors() {
        return errors;
    }

    public InstructionLibrary requireValid() {
        if (!errors.isEmpty()) {
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more; run 'dialtune tasks validate')" : "";
            throw new UserError(errors.get(0) + more);
        }
        return this;
    }

    /** The wordings of {@code task}; null when it has none (only possible if errors were ignored). */
    public InstructionSet forTask(String task) {
        return sets.get(task);
    }
}
