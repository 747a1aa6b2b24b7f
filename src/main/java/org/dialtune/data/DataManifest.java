package org.dialtune.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.UserError;

/**
 * Pins every file the tasks read: per dataset the public source repository and commit, and per file
 * its local path, its path in that repository, its size and its SHA-256. Read and written by
 * {@link ManifestJson}; the default copy is {@code tasks/data-manifest.json}.
 *
 * @param note what the whole manifest covers and how it was checked, or null
 */
public record DataManifest(String note, List<ManifestDataset> datasets) {
    public static final int VERSION = 1;
    public static final String DEFAULT_FILE = "data-manifest.json";

    public DataManifest {
        datasets = List.copyOf(datasets);
    }

    /**
     * The datasets named in {@code names} in manifest order, or all when {@code names} is empty.
     *
     * @param option how the user gave the names, for the error message (e.g. {@code --datasets})
     */
    public List<ManifestDataset> select(List<String> names, String option) {
        if (names == null || names.isEmpty()) return datasets;
        Map<String, ManifestDataset> byName = new LinkedHashMap<>();
        datasets.forEach(d -> byName.put(d.name(), d));
        List<String> unknown = names.stream().filter(n -> !byName.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new UserError(option + ": unknown dataset" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(n -> "\"" + n + "\"").toList())
                    + " (use names from the manifest: " + String.join(", ", byName.keySet()) + ")");
        }
        List<ManifestDataset> chosen = new ArrayList<>();
        for (ManifestDataset d : datasets) {
            if (names.contains(d.name())) chosen.add(d);
        }
        return chosen;
    }

    public DataManifest withDatasets(List<ManifestDataset> newDatasets) {
        return new DataManifest(note, newDatasets);
    }

    /**
     * Stops with a one-line error when a selected file has no size or hash yet (a new entry that
     * {@code dialtune data manifest} has not measured): verify and fetch need both.
     *
     * @param origin the manifest file, for the message
     */
    public static void requireMeasured(List<ManifestDataset> selected, Path origin) {
        for (ManifestDataset d : selected) {
            for (ManifestFile f : d.files()) {
                if (!f.measured()) {
                    throw new UserError(origin + ": dataset \"" + d.name() + "\": file \"" + f.path()
                            + "\": no size or sha256 yet (run: dialtune data manifest --from DATA_DIR)");
                }
            }
        }
    }

    public int fileCount() {
        return datasets.stream().mapToInt(d -> d.files().size()).sum();
    }
}
