package org.dialtune.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dialtune.common.UserError;

/**
 * Re-measures the size and SHA-256 of every manifest file from a data directory, keeping the
 * repositories, commits and paths: hashes in the manifest come from this, never from hand edits.
 */
public final class ManifestRefresher {
    /**
     * The refreshed manifest, how many files got a new size or hash, and the files found in the
     * datasets' folders that the manifest does not list (reported so that none is left out unseen).
     */
    public record Result(DataManifest manifest, int filesChanged, List<String> unlisted) {}

    private ManifestRefresher() {}

    public static Result refresh(DataManifest manifest, Path dataDir) {
        List<String> missing = new ArrayList<>();
        List<ManifestDataset> datasets = new ArrayList<>();
        int changed = 0;
        for (ManifestDataset d : manifest.datasets()) {
            List<ManifestFile> files = new ArrayList<>();
            for (ManifestFile f : d.files()) {
                Path local = dataDir.resolve(f.path());
                if (!Files.isRegularFile(local)) {
                    missing.add(f.path());
                    continue;
                }
                ManifestFile measured = f.withDigest(digest(local));
                if (!measured.equals(f)) changed++;
                files.add(measured);
            }
            datasets.add(d.withFiles(files));
        }
        if (!missing.isEmpty()) {
            throw new UserError(dataDir + ": " + missing.size() + " file" + (missing.size() == 1 ? "" : "s")
                    + " of the manifest missing: " + String.join(", ", missing)
                    + " (restore them, or remove their entries from the manifest)");
        }
        return new Result(manifest.withDatasets(datasets), changed, unlisted(manifest, dataDir));
    }

    private static List<String> unlisted(DataManifest manifest, Path dataDir) {
        Set<String> listed = new HashSet<>();
        manifest.datasets().forEach(d -> d.files().forEach(f -> listed.add(f.path())));
        List<String> extra = new ArrayList<>();
        for (ManifestDataset d : manifest.datasets()) {
            try (Stream<Path> walk = Files.walk(dataDir.resolve(d.name()))) {
                walk.filter(Files::isRegularFile)
                        .map(p -> dataDir.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> !listed.contains(p))
                        .sorted()
                        .forEach(extra::add);
            } catch (IOException e) {
                throw new UserError(dataDir.resolve(d.name()) + ": cannot list: " + e.getMessage(), e);
            }
        }
        return extra;
    }

    private static FileDigest digest(Path file) {
        try {
            return FileDigest.of(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
