package org.dialtune.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small task directories written into a temp folder: task files, instruction files, data files. */
public final class Fixtures {
    private final Path root;

    public Fixtures(Path root) {
        this.root = root;
    }

    public Path tasks() {
        return root.resolve("tasks");
    }

    public Path instructions() {
        return root.resolve("instructions");
    }

    public Path data() {
        return root.resolve("data");
    }

    /** Writes tasks/NAME.json; single quotes in {@code json} become double quotes, to keep tests readable. */
    public Path task(String name, String json) {
        return write(tasks().resolve(name + ".json"), json.replace('\'', '"'));
    }

    public Path instructions(String task, int n) {
        StringBuilder sb = new StringBuilder("{\"task\": \"" + task + "\", \"instructions\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\": \"w").append(i).append("\", \"text\": \"Do task ")
                    .append(task).append(" way ").append(i).append(".\"}");
        }
        return write(instructions().resolve(task + ".json"), sb.append("]}").toString());
    }

    public Path data(String relative, String content) {
        return write(data().resolve(relative), content);
    }

    public static Path write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TaskFileParser parser() {
        return new TaskFileParser(Map.of(
                "csv", new CsvDatasetReader(),
                "json", new JsonDatasetReader(false),
                "jsonl", new JsonDatasetReader(true),
                "dealornodeal", new DealOrNoDealReader()));
    }

    /** A valid classification task over a two-column CSV, with {@code extra} spliced into the top level. */
    public static String csvTask(String name, String extra) {
        return "{'name': '" + name + "', 'family': 'intent_classification', 'type': 'classification',"
                + " 'metric': 'accuracy', 'dataset': 'toy', 'license': 'CC0', 'reader': 'csv',"
                + " 'splits': {'train': 'toy/train.csv', 'test': 'toy/test.csv'},"
                + " 'fields': {'utterance': 'text', 'label': 'intent'},"
                + " 'labels': 'from_data', 'verbalize': ['underscores_to_spaces']" + extra + "}";
    }
}
