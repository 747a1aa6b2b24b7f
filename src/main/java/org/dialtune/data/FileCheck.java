package org.dialtune.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Compares one file on disk with its manifest entry: the single check behind verify and fetch. */
public final class FileCheck {
    private FileCheck() {}

    /**
     * The problem with {@code file}, or empty when it has the expected size and SHA-256. The size is
     * compared first so that a truncated file is reported without hashing it.
     */
    public static Optional<FileProblem> check(Path file, String dataset, ManifestFile expected) {
        if (!Files.isRegularFile(file)) {
            return problem(dataset, expected, FileProblem.Kind.MISSING, null);
        }
        try {
            long size = Files.size(file);
            if (size != expected.size()) {
                return problem(dataset, expected, FileProblem.Kind.SIZE_DIFFERS,
                        "expected " + expected.size() + " bytes, found " + size);
            }
            String sha = FileDigest.of(file).sha256();
            if (!sha.equals(expected.sha256())) {
                return problem(dataset, expected, FileProblem.Kind.SHA256_DIFFERS,
                        "expected " + expected.sha256() + ", found " + sha);
            }
            return Optional.empty();
        } catch (IOException e) {
            return problem(dataset, expected, FileProblem.Kind.UNREADABLE, e.toString());
        }
    }

    private static Optional<FileProblem> problem(String dataset, ManifestFile f, FileProblem.Kind kind, String detail) {
        return Optional.of(new FileProblem(dataset, f.path(), kind, detail));
    }
}
