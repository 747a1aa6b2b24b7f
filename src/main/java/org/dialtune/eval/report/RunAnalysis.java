package org.dialtune.eval.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.eval.stats.StatsConfig;

/** Everything a run report shows, computed from a run directory's results and training logs. */
public record RunAnalysis(List<ResultRow> rows, List<ConditionScore> scores, List<FactorGain> gains,
                          List<TrainLogFile> logs, Provenance provenance, StatsConfig config) {
    public static final String RESULTS_FILE = "results.csv";

    public static RunAnalysis of(Path runDir, StatsConfig config, Instant now) {
        if (!Files.isDirectory(runDir)) {
            throw new UserError(runDir + ": no such run directory (give the directory that holds " + RESULTS_FILE + ")");
        }
        Path file = runDir.resolve(RESULTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": file not found (is " + runDir + " an experiment's run directory?)");
        }
        ResultStore.Snapshot snapshot = new ResultStore(file).snapshot();
        if (snapshot.rows().isEmpty()) {
            throw new UserError(file + ": no result rows yet (no grid cell has finished; report again when one has)");
        }
        List<TrainLogFile> logs = TrainLogFile.findAll(runDir);
        return of(snapshot.rows(), logs,
                Provenance.of(runDir.toAbsolutePath().normalize(), now, snapshot.rows(), snapshot.incompleteLastLine(), logs),
                config);
    }

    /** Factor gains are over held-out tasks only: a seen task's in-domain "gain" is training, not transfer. */
    public static RunAnalysis of(List<ResultRow> rows, List<TrainLogFile> logs, Provenance provenance,
                                 StatsConfig config) {
        return new RunAnalysis(List.copyOf(rows), ConditionScores.of(rows, config),
                FactorGains.of(rows.stream().filter(r -> !r.seen()).toList(), config),
                List.copyOf(logs), provenance, config);
    }
}
