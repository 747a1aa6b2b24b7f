package org.dialtune.data;

import java.util.List;

/**
 * One dataset folder of the data directory, pinned to a public source repository and commit.
 *
 * @param name folder name in the data directory (what task files call the dataset)
 * @param license short license id as listed in the datasets README
 * @param repo source repository {@code owner/name} on GitHub
 * @param commit full 40-digit commit the files were taken from
 * @param note what a user should know about where the files come from, or null
 * @param files every file of the dataset, sorted by local path
 */
public record ManifestDataset(String name, String license, String repo, String commit, String note,
                              List<ManifestFile> files) {
    public ManifestDataset {
        files = List.copyOf(files);
    }

    public ManifestDataset withFiles(List<ManifestFile> newFiles) {
        return new ManifestDataset(name, license, repo, commit, note, newFiles);
    }

    public long totalBytes() {
        return files.stream().mapToLong(f -> f.size() == null ? 0 : f.size()).sum();
    }
}
