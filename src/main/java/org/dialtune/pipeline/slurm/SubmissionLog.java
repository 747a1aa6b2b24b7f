package org.dialtune.pipeline.slurm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * {@code <run>/slurm/jobs.json}: every job array submitted for the run (which units, which job id, what
 * it waited for) and the last submit command, so that status can ask Slurm about exactly these jobs and
 * say how to submit again. Written only by {@code experiment submit}, under the run directory's lock.
 */
public final class SubmissionLog {
    /** One submitted array: its plan indices are its task numbers. */
    public record Array(String submitted, String array, String jobId, List<Integer> indices, String dependency) {}

    private final Path file;
    private final List<Array> arrays;
    private List<String> command;

    private SubmissionLog(Path file, List<Array> arrays, List<String> command) {
        this.file = file;
        this.arrays = arrays;
        this.command = command;
    }

    public static SubmissionLog read(Path runDir) {
        Path f = SbatchScript.slurmDir(runDir).resolve("jobs.json");
        List<Array> arrays = new ArrayList<>();
        List<String> command = List.of();
        if (Files.isRegularFile(f)) {
            try {
                JsonObject o = Json.parseFile(f).getAsJsonObject();
                for (JsonElement e : o.getAsJsonArray("arrays")) {
                    JsonObject a = e.getAsJsonObject();
                    List<Integer> idx = new ArrayList<>();
                    for (JsonElement i : a.getAsJsonArray("indices")) idx.add(i.getAsInt());
                    arrays.add(new Array(a.get("submitted").getAsString(), a.get("array").getAsString(),
                            a.get("job_id").getAsString(), List.copyOf(idx),
                            a.has("dependency") ? a.get("dependency").getAsString() : null));
                }
                List<String> c = new ArrayList<>();
                if (o.has("command")) for (JsonElement e : o.getAsJsonArray("command")) c.add(e.getAsString());
                command = c;
            } catch (RuntimeException e) {
                throw new UserError(f + ": not a submission record written by dialtune (" + e.getMessage() + "): move it away");
            }
        }
        return new SubmissionLog(f, arrays, command);
    }

    public List<Array> arrays() {
        return List.copyOf(arrays);
    }

    /** The command line that last submitted the grid (for "submit again with …"). */
    public List<String> command() {
        return command;
    }

    public Set<String> jobIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Array a : arrays) ids.add(a.jobId());
        return ids;
    }

    /** The last array that included this plan index, or null. */
    public Array lastWith(int index) {
        Array last = null;
        for (Array a : arrays) if (a.indices().contains(index)) last = a;
        return last;
    }

    /** Records a submitted array (and the command that submitted it) and writes the file at once. */
    public void add(String array, String jobId, List<Integer> indices, String dependency, List<String> submitCommand) {
        arrays.add(new Array(Instant.now().toString(), array, jobId, List.copyOf(indices), dependency));
        command = List.copyOf(submitCommand);
        JsonObject o = new JsonObject();
        JsonArray c = new JsonArray();
        command.forEach(c::add);
        o.add("command", c);
        JsonArray all = new JsonArray();
        for (Array a : arrays) {
            JsonObject j = new JsonObject();
            j.addProperty("submitted", a.submitted());
            j.addProperty("array", a.array());
            j.addProperty("job_id", a.jobId());
            JsonArray idx = new JsonArray();
            a.indices().forEach(idx::add);
            j.add("indices", idx);
            if (a.dependency() != null) j.addProperty("dependency", a.dependency());
            all.add(j);
        }
        o.add("arrays", all);
        AtomicFiles.writeString(file, Json.PRETTY.toJson(o) + "\n");
    }
}
