package org.dialtune.eval.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dialtune.eval.results.ResultRow;

/**
 * Where the numbers came from: the run directory, when the report was made, and the code commits
 * recorded in the rows, with warnings when those commits cannot be trusted to be one piece of code.
 *
 * @param commits rows per commit, most rows first
 */
public record Provenance(Path runDir, Instant generated, Map<String, Integer> commits, List<String> warnings) {
    public static final String DIRTY_SUFFIX = "-dirty";
    public static final String UNKNOWN = "unknown";

    public static Provenance of(Path runDir, Instant generated, List<ResultRow> rows, boolean incompleteResultsLine,
                                List<TrainLogFile> logs) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ResultRow r : rows) counts.merge(r.commit(), 1, Integer::sum);
        Map<String, Integer> commits = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> commits.put(e.getKey(), e.getValue()));
        List<String> warnings = new ArrayList<>();
        if (commits.size() > 1) {
            warnings.add("rows come from " + commits.size() + " different commits (" + String.join(", ", commits.keySet())
                    + "): the code changed during the experiment, so its numbers may not be comparable; rerun the "
                    + "affected cells with one commit");
        }
        for (Map.Entry<String, Integer> e : commits.entrySet()) {
            if (e.getKey().endsWith(DIRTY_SUFFIX)) {
                warnings.add(e.getValue() + " rows come from commit " + e.getKey() + ", which had uncommitted changes: "
                        + "the code that produced them cannot be recovered exactly");
            } else if (e.getKey().equals(UNKNOWN) || e.getKey().isBlank()) {
                warnings.add(e.getValue() + " rows have no known commit (not run from a git checkout): "
                        + "the code that produced them cannot be traced");
            }
        }
        if (incompleteResultsLine) {
            warnings.add("results.csv ends in an incomplete line (the experiment is still running, or was "
                    + "interrupted): that line is left out of this report");
        }
        for (TrainLogFile log : logs) {
            if (log.incompleteLastLine()) {
                warnings.add(log.name() + " ends in an incomplete line (training still running, or interrupted): "
                        + "that line is left out of the curves");
            }
        }
        return new Provenance(runDir, generated, commits, warnings);
    }
}
