package org.dialtune.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks a data directory against the manifest and collects every missing or changed file. */
public final class DataVerifier {
    /** What a check found; {@code failedDatasets} keeps manifest order. */
    public record Report(int datasetsChecked, int filesChecked, long bytesChecked, List<FileProblem> problems,
                         List<String> failedDatasets) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public String summary() {
            return "verify: " + (datasetsChecked - failedDatasets.size()) + "/" + datasetsChecked + " datasets OK, "
                    + filesChecked + " files checked (" + Bytes.human(bytesChecked) + ")"
                    + (ok() ? "" : ", " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                            + " in: " + String.join(", ", failedDatasets));
        }
    }

    private DataVerifier() {}

    public static Report verify(Path dataDir, List<ManifestDataset> datasets) {
        List<FileProblem> problems = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        int files = 0;
        long bytes = 0;
        for (ManifestDataset d : datasets) {
            for (ManifestFile f : d.files()) {
                files++;
                bytes += f.size();
                FileCheck.check(dataDir.resolve(f.path()), d.name(), f).ifPresent(p -> {
                    problems.add(p);
                    failed.add(d.name());
                });
            }
        }
        return new Report(datasets.size(), files, bytes, problems, List.copyOf(failed));
    }
}
