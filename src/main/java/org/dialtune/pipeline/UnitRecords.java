package org.dialtune.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;

/**
 * The files of one unit, in {@code <run>/units/<unit>/}: {@code started.json} when an attempt begins,
 * then {@code done.json} (the unit is finished; a cell writes its rows to {@code results.csv} first) or
 * {@code failed.json} (the attempt's error). Each is written atomically by the unit alone, so units
 * running at once on different machines never write the same file; {@code results.csv} of the run is
 * assembled from the units' files ({@link ResultAssembler}). Every record carries the attempt's
 * provenance: host, pid, commit, times and the Slurm job and array task it ran in.
 */
public final class UnitRecords {
    public static final String DIR = "units";
    static final String STARTED = "started.json";
    static final String DONE = "done.json";
    static final String FAILED = "failed.json";
    static final String RESULTS = "results.csv";
    /** Environment variables of a Slurm job that say where a unit ran. */
    static final List<String> SLURM_VARIABLES = List.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
            "SLURM_JOB_NODELIST", "SLURM_CLUSTER_NAME", "SLURM_JOB_PARTITION");

    private final Path dir;

    public UnitRecords(Path runDir, GridUnit unit) {
        this(runDir.resolve(DIR).resolve(unit.fileName()));
    }

    UnitRecords(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public boolean done() {
        return Files.isRegularFile(dir.resolve(DONE));
    }

    /** The last attempt's start record, or null. */
    public JsonObject started() {
        return read(STARTED);
    }

    /** The finish record, or null. */
    public JsonObject doneRecord() {
        return read(DONE);
    }

    /** The last attempt's failure record, or null (also when an attempt started after it). */
    public JsonObject failed() {
        JsonObject f = read(FAILED);
        JsonObject s = started();
        if (f == null || s == null) return f;
        return f.get("attempt").getAsString().equals(s.get("attempt").getAsString()) ? f : null;
    }

    /** A cell's rows, written before {@code done.json}. */
    public List<ResultRow> rows() {
        Path f = dir.resolve(RESULTS);
        return Files.isRegularFile(f) ? new ResultStore(f).read() : List.of();
    }

    /** Starts an attempt: its provenance, recorded in {@code started.json} and returned for the other records. */
    JsonObject start(GridUnit unit, String commit, Map<String, String> env) {
        JsonObject p = new JsonObject();
        p.addProperty("unit", unit.id());
        p.addProperty("kind", unit.kind().label());
        p.addProperty("index", unit.index());
        p.addProperty("attempt", Instant.now() + " pid " + ProcessHandle.current().pid());
        p.addProperty("host", org.dialtune.common.RunDirLock.hostName());
        p.addProperty("pid", ProcessHandle.current().pid());
        p.addProperty("commit", commit);
        p.addProperty("started", Instant.now().toString());
        JsonObject slurm = new JsonObject();
        for (String v : SLURM_VARIABLES) if (env.get(v) != null) slurm.addProperty(v, env.get(v));
        if (slurm.size() > 0) p.add("slurm", slurm);
        write(STARTED, p);
        return p;
    }

    /** Finishes the unit: a cell's rows, then {@code done.json} with the attempt's provenance and {@code extra}. */
    void finish(JsonObject attempt, List<ResultRow> rows, JsonObject extra) {
        if (rows != null) new ResultStore(dir.resolve(RESULTS)).writeAll(rows);
        JsonObject d = attempt.deepCopy();
        d.addProperty("finished", Instant.now().toString());
        for (var e : extra.entrySet()) d.add(e.getKey(), e.getValue());
        write(DONE, d);
    }

    /** Records why the attempt failed, for {@code experiment status}. */
    void fail(JsonObject attempt, Throwable error) {
        JsonObject f = attempt.deepCopy();
        f.addProperty("failed", Instant.now().toString());
        f.addProperty("error", String.valueOf(error.getMessage()).lines().findFirst().orElse(error.getClass().getSimpleName()));
        write(FAILED, f);
    }

    /** Marks a cell whose rows came from a results.csv written before units existed. */
    void migrated(String cell, List<ResultRow> rows, Path from) {
        JsonObject d = new JsonObject();
        d.addProperty("unit", cell);
        d.addProperty("kind", GridUnit.Kind.CELL.label());
        d.addProperty("migrated_from", from.toString());
        d.addProperty("finished", Instant.now().toString());
        new ResultStore(dir.resolve(RESULTS)).writeAll(rows);
        write(DONE, d);
    }

    private void write(String name, JsonObject o) {
        AtomicFiles.writeString(dir.resolve(name), Json.PRETTY.toJson(o) + "\n");
    }

    private JsonObject read(String name) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) return null;
        JsonElement e = Json.parseFile(f);
        if (!e.isJsonObject()) throw new UserError(f + ": not a unit record written by dialtune: move it away");
        return e.getAsJsonObject();
    }

    /** Unit directories present under {@code <run>/units}, by name. */
    static List<Path> all(Path runDir) {
        Path units = runDir.resolve(DIR);
        if (!Files.isDirectory(units)) return List.of();
        try (var s = Files.list(units)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UserError(units + ": cannot list: " + e.getMessage(), e);
        }
    }
}
