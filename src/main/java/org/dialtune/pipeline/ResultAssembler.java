package org.dialtune.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;

/**
 * Builds a run's {@code results.csv} from its finished cells' own result files
 * ({@code units/<cell>/results.csv}), replacing the file atomically. Assembling instead of appending
 * is what lets units run at once on different machines over a shared filesystem: each cell writes only
 * its own file (temporary file + rename, atomic on NFS too), and no lock is needed — appends under
 * {@code flock}/{@code fcntl} hold across NFS clients only where the mount has working lock support
 * ({@code nolock} and {@code local_lock} mounts silently lock per machine), and an O_APPEND write from
 * one client can overwrite another's. The single writer of {@code results.csv} is whoever assembles:
 * {@code experiment run} (after each cell), {@code experiment status} and {@code experiment submit --wait}.
 */
public final class ResultAssembler {
    private ResultAssembler() {}

    /** What was assembled. */
    public record Assembled(Path file, int cells, int rows) {}

    /**
     * Writes {@code <run>/results.csv}: the cells of {@code plan} (may be null) in plan order, then any other
     * finished cells of the directory (another precision's, say) by name.
     */
    public static Assembled assemble(Path runDir, GridPlan plan) {
        migrateLegacy(runDir);
        Map<Path, UnitRecords> finished = new LinkedHashMap<>();
        if (plan != null) {
            for (GridUnit u : plan.cells()) {
                UnitRecords r = new UnitRecords(runDir, u);
                if (r.done()) finished.put(r.dir(), r);
            }
        }
        for (Path d : UnitRecords.all(runDir)) {
            UnitRecords r = new UnitRecords(d);
            if (!finished.containsKey(d) && r.done() && Files.isRegularFile(d.resolve(UnitRecords.RESULTS))) finished.put(d, r);
        }
        List<ResultRow> rows = new ArrayList<>();
        for (UnitRecords r : finished.values()) rows.addAll(r.rows());
        Path file = runDir.resolve("results.csv");
        if (!rows.isEmpty() || Files.exists(file)) new ResultStore(file).writeAll(rows);
        return new Assembled(file, finished.size(), rows.size());
    }

    /**
     * A run directory from before units existed has rows in results.csv and no {@code units/}: each of its
     * cells becomes a finished unit with those rows, so a rerun skips them as it always did.
     */
    static void migrateLegacy(Path runDir) {
        Path file = runDir.resolve("results.csv");
        if (Files.isDirectory(runDir.resolve(UnitRecords.DIR)) || !Files.isRegularFile(file)) return;
        Map<String, List<ResultRow>> byCell = new LinkedHashMap<>();
        for (ResultRow r : new ResultStore(file).read()) byCell.computeIfAbsent(r.cell(), c -> new ArrayList<>()).add(r);
        for (var e : byCell.entrySet()) {
            new UnitRecords(runDir.resolve(UnitRecords.DIR).resolve(GridUnit.safe(e.getKey()))).migrated(e.getKey(), e.getValue(), file);
        }
    }
}
