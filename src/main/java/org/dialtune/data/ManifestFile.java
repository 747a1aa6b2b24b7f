package org.dialtune.data;

/**
 * One file of a dataset: where it lives in a data directory and where it comes from upstream.
 *
 * @param path local path relative to the data directory, {@code <dataset>/<path in shared/datasets>}
 * @param source path of the same bytes in the source repository
 * @param repo source repository {@code owner/name} when it differs from the dataset's, else null
 * @param commit source commit when {@link #repo} is set, else null
 * @param size expected size in bytes, null until {@code dialtune data manifest} has measured it
 * @param sha256 expected SHA-256 (lower-case hex), null until measured
 */
public record ManifestFile(String path, String source, String repo, String commit, Long size, String sha256) {

    public boolean measured() {
        return size != null && sha256 != null;
    }

    public ManifestFile withDigest(FileDigest digest) {
        return new ManifestFile(path, source, repo, commit, digest.size(), digest.sha256());
    }

    /** The repository the bytes are fetched from: the file's own, else its dataset's. */
    public String repoIn(ManifestDataset dataset) {
        return repo != null ? repo : dataset.repo();
    }

    public String commitIn(ManifestDataset dataset) {
        return commit != null ? commit : dataset.commit();
    }
}
