package org.dialtune.train;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * The JSONL log of a training run: one line per logging step (stage, step, loss, lr, grad norm,
 * tokens/s, memory), flushed as written so a crash loses nothing already logged. Reports plot it.
 *
 * <p>On resume from step N, lines after N (written by the interrupted run after its last
 * checkpoint) are dropped first, so the log of a resumed run equals the log of an unbroken one.
 */
public final class TrainLog implements AutoCloseable {
    private final BufferedWriter out;

    private TrainLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens a fresh log (an existing file is replaced). */
    public static TrainLog create(Path file) {
        AtomicFiles.writeString(file, "");
        return append(file);
    }

    /** Opens the log of a run resumed after global step {@code resumeStep}. */
    public static TrainLog resume(Path file, long resumeStep) {
        if (!Files.exists(file)) return create(file);
        List<String> kept = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                // a line cut off by a crash is the only one that may fail to parse: the last
                if (i == lines.size() - 1 && !line.endsWith("}")) break;
                JsonObject o = Json.parseLine(file, i + 1, line).getAsJsonObject();
                if (!o.has("global_step")) throw new UserError(file + ":" + (i + 1) + ": field \"global_step\" is missing");
                if (o.get("global_step").getAsLong() <= resumeStep) kept.add(line);
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        AtomicFiles.writeText(file, w -> {
            for (String line : kept) w.write(line + "\n");
        });
        return append(file);
    }

    private static TrainLog append(Path file) {
        try {
            return new TrainLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UserError(file + ": cannot open for writing: " + e.getMessage(), e);
        }
    }

    /** Appends one record; it must carry {@code global_step}. */
    public void write(JsonObject record) {
        if (!record.has("global_step")) throw new IllegalArgumentException("log records need global_step");
        try {
            out.write(Json.COMPACT.toJson(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
