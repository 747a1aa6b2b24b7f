package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.dialtune.cli.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetchCommandTest {
    @TempDir Path dir;
    FakeMirror mirror;
    Path data;

    @BeforeEach
    void setUp() throws IOException {
        mirror = new FakeMirror(dir);
        data = dir.resolve("data");
    }

    @Test
    void freshFetchFromFileUrlGivesADirectoryThatVerifies() {
        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals("fetch: 2/2 datasets OK, 5 files (1.0 MB): 5 downloaded (1.0 MB), 0 already present in " + data
                + "\n", r.out());
        assertTrue(r.err().contains("[1/5 files, 0.0/1.0 MB] alpha/LICENSE: downloaded\n"), r.err());
        assertTrue(r.err().contains("[5/5 files, 1.0/1.0 MB] beta/x/test.jsonl: downloaded\n"), r.err());
        assertVerifies();
        assertEquals(List.of(), partFiles());
    }

    @Test
    void plainDirectoryWorksAsMirror() {
        CliRunner.Result r = fetch(mirror.base.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertVerifies();
    }

    @Test
    void secondRunSkipsPresentFilesAndResumesPartialDownloads() throws IOException {
        assertEquals(0, fetch(mirror.base.toUri().toString()).exitCode());
        Path license = data.resolve("alpha/LICENSE");
        FileTime before = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(license, before);
        // an interrupted download: the first 20 bytes of train.txt, the real file gone
        Path train = data.resolve("alpha/data/train.txt");
        Files.delete(train);
        Files.writeString(train.resolveSibling("train.txt.part"), FakeMirror.LONG.substring(0, 20));

        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("alpha/LICENSE: present\n"), r.err());
        assertTrue(r.err().contains("alpha/data/train.txt: downloaded (resumed at 20 bytes)\n"), r.err());
        assertEquals("fetch: 2/2 datasets OK, 5 files (1.0 MB): 1 downloaded (36 B), 4 already present in " + data
                + "\n", r.out());
        assertEquals(before, Files.getLastModifiedTime(license));
        assertEquals(FakeMirror.LONG, Files.readString(train));
        assertEquals(List.of(), partFiles());
    }

    @Test
    void corruptFileInMirrorFailsItsDatasetOnlyAndLeavesNoPart() throws IOException {
        mirror.put(FakeMirror.ALPHA_REPO, FakeMirror.ALPHA_COMMIT, "LICENSE", "abd");
        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        String expected = "sha256 differs: alpha/LICENSE (from "
                + mirror.file(FakeMirror.ALPHA_REPO, FakeMirror.ALPHA_COMMIT, "LICENSE").toUri()
                + ": expected " + FakeMirror.ABC_SHA
                + ", found a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9)";
        assertEquals("failed: " + expected + "\n"
                + "fetch: 1/2 datasets OK, 5 files (1.0 MB): 4 downloaded (1.0 MB), 0 already present, 1 failed; "
                + "failed datasets: alpha (1 file) in " + data + "\n", r.out());
        assertTrue(r.err().contains("alpha/LICENSE: " + expected + "\n"), r.err());
        assertFalse(Files.exists(data.resolve("alpha/LICENSE")));
        assertEquals(List.of(), partFiles());
        assertEquals(0, verify("beta").exitCode());
        assertEquals(FakeMirror.LONG, Files.readString(data.resolve("alpha/data/train.txt")));
    }

    @Test
    void downloadThatEndsEarlyIsKeptAndResumedNextRun() throws IOException {
        mirror.put(FakeMirror.ALPHA_REPO, FakeMirror.ALPHA_COMMIT, "data/train.txt", FakeMirror.LONG.substring(0, 30));
        CliRunner.Result r = fetch(mirror.base.toUri().toString(), "--datasets", "alpha");
        assertEquals(3, r.exitCode());
        assertTrue(r.out().startsWith("failed: size differs: alpha/data/train.txt (from "), r.out());
        assertTrue(r.out().contains(": expected 56 bytes, found 30; the partial download is kept, run again to "
                + "resume it)\n"), r.out());
        Path part = data.resolve("alpha/data/train.txt.part");
        assertEquals(FakeMirror.LONG.substring(0, 30), Files.readString(part));

        mirror.put(FakeMirror.ALPHA_REPO, FakeMirror.ALPHA_COMMIT, "data/train.txt", FakeMirror.LONG);
        r = fetch(mirror.base.toUri().toString(), "--datasets", "alpha");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("alpha/data/train.txt: downloaded (resumed at 30 bytes)\n"), r.err());
        assertEquals(FakeMirror.LONG, Files.readString(data.resolve("alpha/data/train.txt")));
        assertFalse(Files.exists(part));
    }

    @Test
    void fileMissingFromMirrorIsReported() throws IOException {
        Files.delete(mirror.file(FakeMirror.OTHER_REPO, FakeMirror.OTHER_COMMIT, "LICENSE"));
        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.out().startsWith("failed: download failed: beta/LICENSE-OTHER (from "
                + mirror.file(FakeMirror.OTHER_REPO, FakeMirror.OTHER_COMMIT, "LICENSE").toUri()
                + ": not in the mirror)\n"), r.out());
        assertTrue(r.out().contains("failed datasets: beta (1 file)"), r.out());
    }

    @Test
    void changedLocalFileIsReplacedWithTheManifestBytes() throws IOException {
        assertEquals(0, fetch(mirror.base.toUri().toString()).exitCode());
        Files.writeString(data.resolve("alpha/LICENSE"), "xyz");
        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("alpha/LICENSE: downloaded, replacing a local copy whose sha256 differs\n"), r.err());
        assertEquals(FakeMirror.ABC, Files.readString(data.resolve("alpha/LICENSE")));
    }

    @Test
    void httpMirrorServesRepoCommitPathAndResumesWithRange() throws IOException {
        try (LoopbackMirrorServer server = new LoopbackMirrorServer(mirror.base)) {
            Path train = data.resolve("alpha/data/train.txt");
            Files.createDirectories(train.getParent());
            Files.writeString(train.resolveSibling("train.txt.part"), FakeMirror.LONG.substring(0, 20));
            CliRunner.Result r = fetch(server.baseUrl(), "--datasets", "alpha");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertEquals(List.of(
                    "GET /acme/alpha-data/" + FakeMirror.ALPHA_COMMIT + "/LICENSE",
                    "GET /acme/alpha-data/" + FakeMirror.ALPHA_COMMIT + "/data/train.txt bytes=20-"),
                    server.requests);
            assertEquals(0, verify("alpha").exitCode());

            Files.delete(mirror.file(FakeMirror.BETA_REPO, FakeMirror.BETA_COMMIT, "x/empty.txt"));
            r = fetch(server.baseUrl());
            assertEquals(3, r.exitCode());
            assertTrue(r.out().startsWith("failed: download failed: beta/x/empty.txt (from " + server.baseUrl()
                    + "acme/beta/" + FakeMirror.BETA_COMMIT + "/x/empty.txt: HTTP 404)\n"), r.out());
        }
    }

    @Test
    void droppedHttpConnectionKeepsThePartAndTheNextRunResumesIt() throws IOException {
        try (LoopbackMirrorServer server = new LoopbackMirrorServer(mirror.base)) {
            server.dropAfter = 300_000;
            CliRunner.Result r = fetch(server.baseUrl(), "--datasets", "beta", "--stall-timeout", "1");
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().startsWith("failed: download failed: beta/x/test.jsonl (from " + server.baseUrl()
                    + "acme/beta/" + FakeMirror.BETA_COMMIT + "/x/test.jsonl: no data for 1 s (connection stalled))\n"),
                    r.out());
            Path part = data.resolve("beta/x/test.jsonl.part");
            assertEquals(300_000, Files.size(part));

            server.dropAfter = -1;
            server.requests.clear();
            r = fetch(server.baseUrl(), "--datasets", "beta");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertEquals(List.of("GET /acme/beta/" + FakeMirror.BETA_COMMIT + "/x/test.jsonl bytes=300000-"),
                    server.requests);
            assertTrue(r.err().contains("beta/x/test.jsonl: downloaded (resumed at 300000 bytes)\n"), r.err());
            assertEquals(0, verify("beta").exitCode());
            assertFalse(Files.exists(part));
        }
    }

    @Test
    void unreachableMirrorIsGivenUpAfterThreeFailedConnections() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // free again once closed: connections are refused
        }
        String base = "http://127.0.0.1:" + closedPort + "/";
        CliRunner.Result r = fetch(base);
        assertEquals(3, r.exitCode());
        String[] lines = r.out().split("\n");
        assertEquals("failed: download failed: alpha/LICENSE (from " + base + "acme/alpha-data/" + FakeMirror.ALPHA_COMMIT
                + "/LICENSE: cannot connect)", lines[0]);
        assertEquals("failed: download failed: beta/x/empty.txt (not tried: the last 3 downloads could not connect to "
                + base + ")", lines[3]);
        assertEquals("fetch: 0/2 datasets OK, 5 files (1.0 MB): 0 downloaded (0 B), 0 already present, 5 failed; "
                + "failed datasets: alpha (2 files), beta (3 files) in " + data, lines[5]);
    }

    @Test
    void targetThatIsAFileIsAUserError() throws IOException {
        Files.writeString(data, "not a directory");
        CliRunner.Result r = fetch(mirror.base.toUri().toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --to: " + data + " is a file, not a directory\n", r.err());
    }

    @Test
    void unsupportedMirrorSchemeIsAUserError() {
        CliRunner.Result r = fetch("ftp://example.org/data");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --mirror: unsupported URL scheme \"ftp\" in \"ftp://example.org/data\" "
                + "(use http://, https://, file:// or a directory)\n", r.err());
    }

    private CliRunner.Result fetch(String mirrorUrl, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("data", "fetch", "--to", data.toString(),
                "--mirror", mirrorUrl, "--manifest", mirror.manifestFile.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private CliRunner.Result verify(String datasets) {
        return CliRunner.run("data", "verify", data.toString(), "--datasets", datasets,
                "--manifest", mirror.manifestFile.toString());
    }

    private void assertVerifies() {
        CliRunner.Result v = CliRunner.run("data", "verify", data.toString(), "--manifest", mirror.manifestFile.toString());
        assertEquals(0, v.exitCode(), v.out());
    }

    private List<Path> partFiles() {
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.filter(p -> p.toString().endsWith(".part")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
