package org.dialtune.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny mirror in {@code BASE/<repo>/<commit>/<path>} layout and the manifest describing it. The
 * file contents are the FIPS 180-2 SHA-256 test messages, so the expected hashes below are
 * published reference values, not numbers computed by the code under test.
 */
final class FakeMirror {
    static final String ABC = "abc";
    static final String ABC_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String LONG = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static final String LONG_SHA = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    static final String MILLION_A_SHA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static final String ALPHA_REPO = "acme/alpha-data";
    static final String ALPHA_COMMIT = "a".repeat(40);
    static final String BETA_REPO = "acme/beta";
    static final String BETA_COMMIT = "b".repeat(40);
    static final String OTHER_REPO = "other/licenses";
    static final String OTHER_COMMIT = "c".repeat(40);

    final Path base;
    final Path manifestFile;
    final DataManifest manifest;

    /** Writes the mirror under {@code dir/mirror} and the manifest to {@code dir/manifest.json}. */
    FakeMirror(Path dir) throws IOException {
        base = dir.resolve("mirror");
        put(ALPHA_REPO, ALPHA_COMMIT, "data/train.txt", LONG);
        put(ALPHA_REPO, ALPHA_COMMIT, "LICENSE", ABC);
        put(BETA_REPO, BETA_COMMIT, "x/test.jsonl", "a".repeat(1_000_000));
        put(BETA_REPO, BETA_COMMIT, "x/empty.txt", "");
        put(OTHER_REPO, OTHER_COMMIT, "LICENSE", ABC);
        manifest = new DataManifest("test manifest", List.of(
                new ManifestDataset("alpha", "CC BY 4.0", ALPHA_REPO, ALPHA_COMMIT, null, List.of(
                        new ManifestFile("alpha/LICENSE", "LICENSE", null, null, 3L, ABC_SHA),
                        new ManifestFile("alpha/data/train.txt", "data/train.txt", null, null, 56L, LONG_SHA))),
                new ManifestDataset("beta", "MIT", BETA_REPO, BETA_COMMIT, "license from another repo", List.of(
                        new ManifestFile("beta/LICENSE-OTHER", "LICENSE", OTHER_REPO, OTHER_COMMIT, 3L, ABC_SHA),
                        new ManifestFile("beta/x/empty.txt", "x/empty.txt", null, null, 0L, EMPTY_SHA),
                        new ManifestFile("beta/x/test.jsonl", "x/test.jsonl", null, null, 1_000_000L,
                                MILLION_A_SHA)))));
        manifestFile = dir.resolve("manifest.json");
        ManifestJson.write(manifest, manifestFile);
    }

    Path file(String repo, String commit, String path) {
        return base.resolve(repo).resolve(commit).resolve(path);
    }

    void put(String repo, String commit, String path, String content) throws IOException {
        Path f = file(repo, commit, path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.US_ASCII);
    }

    /** Copies the mirror's files into a data directory laid out as the manifest says. */
    void copyAsDataDir(Path dataDir) throws IOException {
        for (ManifestDataset d : manifest.datasets()) {
            for (ManifestFile f : d.files()) {
                Path to = dataDir.resolve(f.path());
                Files.createDirectories(to.getParent());
                Files.copy(file(f.repoIn(d), f.commitIn(d), f.source()), to);
            }
        }
    }
}
