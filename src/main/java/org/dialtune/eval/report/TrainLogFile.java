package org.dialtune.eval.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * A training log found under a run directory, read for the report's curves.
 *
 * @param name the log's path relative to the run directory
 * @param incompleteLastLine whether a half-written last line (training still running, or a crash) was left out
 */
public record TrainLogFile(String name, List<TrainLogPoint> points, boolean incompleteLastLine) {
    public static final String FILE_NAME = "train_log.jsonl";

    public TrainLogFile {
        points = List.copyOf(points);
    }

    /** Every {@code train_log.jsonl} below {@code runDir}, in path order. */
    public static List<TrainLogFile> findAll(Path runDir) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(runDir)) {
            files = walk.filter(p -> p.getFileName().toString().equals(FILE_NAME) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UserError(runDir + ": cannot list training logs: " + e.getMessage(), e);
        }
        List<TrainLogFile> logs = new ArrayList<>();
        for (Path f : files) logs.add(read(f, runDir.relativize(f).toString()));
        return logs;
    }

    public static TrainLogFile read(Path file, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        List<TrainLogPoint> points = new ArrayList<>();
        boolean torn = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            // the trainer flushes whole lines; only the last one can be cut off (still running, or a crash)
            if (i == lines.size() - 1 && !line.endsWith("}")) {
                torn = true;
                break;
            }
            JsonElement e = Json.parseLine(file, i + 1, line);
            if (!e.isJsonObject()) throw new UserError(file + ":" + (i + 1) + ": expected a JSON object");
            points.add(point(file, i + 1, e.getAsJsonObject()));
        }
        return new TrainLogFile(name, points, torn);
    }

    private static TrainLogPoint point(Path file, int lineNo, JsonObject o) {
        if (!o.has("global_step")) throw new UserError(file + ":" + lineNo + ": field \"global_step\" is missing");
        long step = (long) number(file, lineNo, o, "global_step");
        String stage = o.has("stage") && o.get("stage").isJsonPrimitive() ? o.get("stage").getAsString() : "(no stage)";
        return new TrainLogPoint(stage, step, number(file, lineNo, o, "loss"), number(file, lineNo, o, "lr"),
                number(file, lineNo, o, "grad_norm"), number(file, lineNo, o, "tokens_per_s"),
                number(file, lineNo, o, "rss_mb"), number(file, lineNo, o, "validation_score"));
    }

    /** The field as a number; NaN when absent. A present field that is not a number is an error. */
    private static double number(Path file, int lineNo, JsonObject o, String key) {
        if (!o.has(key) || o.get(key).isJsonNull()) return Double.NaN;
        JsonElement v = o.get(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new UserError(file + ":" + lineNo + ": field \"" + key + "\" must be a number, got " + v);
        }
        return v.getAsDouble();
    }
}
