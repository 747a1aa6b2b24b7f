package org.dialtune.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.dialtune.common.UserError;

/** Reads one split of a task from the data directory into dialogue examples. */
public final class SplitReader {
    /** How many problem descriptions to keep per split; the count covers all of them. */
    public static final int PROBLEMS_KEPT = 5;

    private SplitReader() {}

    /** The split's examples after its {@code max_examples} cap. */
    public static SplitData read(Task task, String split, Path dataDir) {
        return cap(task, readAll(task, split, dataDir));
    }

    /**
     * Every example of the split, before the cap: label sets come from here, so a cap can never drop a
     * label from a task's options.
     */
    public static SplitData readAll(Task task, String split, Path dataDir) {
        SplitSpec spec = task.splits().get(split);
        if (spec == null) {
            throw new UserError(task.file() + ": task \"" + task.name() + "\" has no split \"" + split
                    + "\" (splits: " + String.join(", ", task.splits().keySet()) + ")");
        }
        List<Path> files = resolveFiles(task, spec, dataDir);
        ExampleExtractor extractor = new ExampleExtractor(task);
        String recordsPath = spec.records() != null ? spec.records() : task.example().records();
        long[] recordCount = {0};
        List<ExampleExtractor.Outcome> outcomes = new ArrayList<>();
        Set<String> repeated = repeatedStems(files);
        for (Path f : files) {
            String shown = dataDir.relativize(f).toString();
            String stem = stem(f);
            // Same file name in two folders (nlupp's banking/fold0.json, hotels/fold0.json): keep ids apart.
            if (repeated.contains(stem) && f.getParent() != null) stem = f.getParent().getFileName() + "-" + stem;
            List<RawRecord> read = new ArrayList<>();
            try {
                task.reader().read(f, shown, doc -> expandRecords(task, split, recordsPath, doc, read));
            } catch (NoSuchFileException e) {
                throw missing(task, split, f);
            } catch (IOException e) {
                throw new UserError(shown + ": cannot read: " + e.getMessage(), e);
            }
            List<RawRecord> records = task.example().groupBy() != null ? group(task, read) : read;
            recordCount[0] += records.size();
            for (RawRecord r : records) outcomes.addAll(extractor.extract(r, stem));
        }
        return finish(task, split, recordCount[0], outcomes, files);
    }

    private static SplitData finish(Task task, String split, long records,
            List<ExampleExtractor.Outcome> outcomes, List<Path> files) {
        List<DialogueExample> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long filtered = 0;
        long skipped = 0;
        Set<String> ids = new HashSet<>();
        for (ExampleExtractor.Outcome o : outcomes) {
            if (o.filtered()) {
                filtered++;
            } else if (o.problem() != null) {
                skipped++;
                if (problems.size() < PROBLEMS_KEPT) problems.add(o.location() + ": " + o.problem());
            } else if (!ids.add(o.example().id())) {
                skipped++;
                if (problems.size() < PROBLEMS_KEPT) {
                    problems.add(o.location() + ": duplicate example id \"" + o.example().id()
                            + "\" (make \"fields.id\" unique or leave it out)");
                }
            } else {
                kept.add(o.example());
            }
        }
        if (kept.isEmpty()) {
            throw new UserError(task.file() + ": split \"" + split + "\": no examples from " + describe(files)
                    + " (" + records + " records, " + filtered + " filtered, " + skipped + " skipped"
                    + (problems.isEmpty() ? "" : "; first problem: " + problems.get(0))
                    + "; check \"records\", \"fields\" and filters)");
        }
        SplitCounts counts = new SplitCounts(records, outcomes.size(), filtered, skipped, 0, kept.size(), problems);
        return new SplitData(task.name(), split, kept, counts);
    }

    /** Applies the split's {@code max_examples}: a seeded choice by example id, counted as capped. */
    public static SplitData cap(Task task, SplitData all) {
        int max = task.splits().get(all.split()).maxExamples();
        if (max == 0 || all.examples().size() <= max) return all;
        List<DialogueExample> kept =
                Sampling.sample(all.examples(), max, task.sampleSeed() + "|" + task.name() + "|" + all.split());
        SplitCounts c = all.counts();
        SplitCounts counts = new SplitCounts(c.records(), c.candidates(), c.filtered(), c.skipped(),
                c.capped() + all.examples().size() - kept.size(), kept.size(), c.firstProblems());
        return new SplitData(all.task(), all.split(), kept, counts);
    }

    private static String stem(Path f) {
        return f.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    private static Set<String> repeatedStems(List<Path> files) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (Path f : files) if (!seen.add(stem(f))) repeated.add(stem(f));
        return repeated;
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " files";
    }

    /** Applies the records path to one document: a list gives its elements, an object its values. */
    private static void expandRecords(Task task, String split, String recordsPath, RawRecord doc, List<RawRecord> out) {
        JsonElement node = doc.value();
        if (recordsPath != null && !recordsPath.equals("$")) {
            node = JsonPath.parse(recordsPath).resolve(new JsonPath.Scope(doc.value(), doc.key(), null));
            if (node == null) {
                throw new UserError(doc.location() + ": records path \"" + recordsPath + "\" not found (task "
                        + task.name() + ", split " + split + "; fix \"records\" in " + task.file() + ")");
            }
        }
        boolean expand = recordsPath != null || node.isJsonArray();
        if (!expand) {
            out.add(doc);
        } else if (node.isJsonArray()) {
            JsonArray a = node.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(new RawRecord(a.get(i), key(doc, String.valueOf(i)), doc.location() + " record " + i));
            }
        } else if (node.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : node.getAsJsonObject().entrySet()) {
                out.add(new RawRecord(e.getValue(), e.getKey(), doc.location() + " record \"" + e.getKey() + "\""));
            }
        } else {
            throw new UserError(doc.location() + ": records path \"" + recordsPath + "\" is neither a list nor an object");
        }
    }

    private static String key(RawRecord doc, String inner) {
        return doc.key() == null ? inner : doc.key() + "." + inner;
    }

    /** Rows sharing the group key become one record {@code {"key": ..., "rows": [...]}}, in first-seen order. */
    private static List<RawRecord> group(Task task, List<RawRecord> rows) {
        Map<String, List<RawRecord>> groups = new LinkedHashMap<>();
        for (RawRecord r : rows) {
            String k = task.example().groupBy().text(new JsonPath.Scope(r.value(), r.key(), null));
            if (k == null) k = "";
            groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        List<RawRecord> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, List<RawRecord>> g : groups.entrySet()) {
            List<RawRecord> members = new ArrayList<>(g.getValue());
            FieldSpec order = task.example().orderBy();
            if (order != null) {
                members.sort(Comparator.comparingDouble(r -> number(order.text(new JsonPath.Scope(r.value(), r.key(), null)))));
            }
            JsonObject o = new JsonObject();
            o.addProperty("key", g.getKey());
            JsonArray a = new JsonArray();
            members.forEach(m -> a.add(m.value()));
            o.add("rows", a);
            out.add(new RawRecord(o, g.getKey(), members.get(0).location()));
        }
        return out;
    }

    private static double number(String s) {
        try {
            return s == null ? Double.MAX_VALUE : Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE; // unsortable keys go last, in file order (the sort is stable)
        }
    }

    /** The data files of one split of a task, in reading order; every one inside the data directory. */
    public static List<Path> files(Task task, String split, Path dataDir) {
        SplitSpec spec = task.splits().get(split);
        if (spec == null) throw new IllegalArgumentException(task.name() + " has no split " + split);
        return resolveFiles(task, spec, dataDir);
    }

    static List<Path> resolveFiles(Task task, SplitSpec spec, Path dataDir) {
        List<Path> out = new ArrayList<>();
        DataDirectory inside = DataDirectory.of(dataDir);
        for (String pattern : spec.files()) {
            String problem = DataDirectory.patternProblem(pattern);
            if (problem != null) throw new UserError(task.file() + ": field \"splits." + spec.name() + "\": " + problem);
            if (!pattern.contains("*") && !pattern.contains("?")) {
                Path f = dataDir.resolve(pattern).normalize();
                if (inside == null || !Files.isRegularFile(f)) throw missing(task, spec.name(), f);
                inside.requireInside(task, spec.name(), pattern, f);
                out.add(f);
                continue;
            }
            List<Path> matched = inside == null ? List.of() : glob(dataDir, pattern);
            if (matched.isEmpty()) {
                throw new UserError(task.file() + ": split \"" + spec.name() + "\": no data file matches "
                        + dataDir.resolve(pattern) + " (is --data / " + org.dialtune.common.DialtuneHome.DATA_ENV
                        + " the right data directory?)");
            }
            for (Path f : matched) inside.requireInside(task, spec.name(), pattern, f);
            out.addAll(matched);
        }
        return out;
    }

    private static List<Path> glob(Path dataDir, String pattern) {
        // Walk only from the fixed directory prefix of the pattern, so "hwu64/**/x/*.csv" stays in hwu64/.
        String[] parts = pattern.split("/");
        Path root = dataDir;
        int i = 0;
        while (i < parts.length - 1 && !parts[i].contains("*") && !parts[i].contains("?")) root = root.resolve(parts[i++]);
        if (!Files.isDirectory(root)) return List.of();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> m.matches(dataDir.relativize(p))).sorted().toList();
        } catch (IOException e) {
            throw new UserError(root + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static UserError missing(Task task, String split, Path f) {
        return new UserError(task.file() + ": split \"" + split + "\": data file not found: " + f
                + " (is --data / " + org.dialtune.common.DialtuneHome.DATA_ENV + " the right data directory?)");
    }
}
