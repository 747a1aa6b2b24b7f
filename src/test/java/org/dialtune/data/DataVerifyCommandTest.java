package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dialtune.cli.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataVerifyCommandTest {
    @TempDir Path dir;
    FakeMirror mirror;
    Path data;

    @BeforeEach
    void setUp() throws IOException {
        mirror = new FakeMirror(dir);
        data = dir.resolve("data");
        mirror.copyAsDataDir(data);
    }

    @Test
    void completeDirectoryPasses() {
        CliRunner.Result r = verify();
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("verify: 2/2 datasets OK, 5 files checked (1.0 MB) in " + data + "\n", r.out());
    }

    @Test
    void everyMissingOrChangedFileIsNamed() throws IOException {
        Files.delete(data.resolve("alpha/LICENSE"));
        Files.writeString(data.resolve("alpha/data/train.txt"), FakeMirror.LONG.substring(0, 50));
        Files.writeString(data.resolve("beta/LICENSE-OTHER"), "abd"); // same size, other bytes
        CliRunner.Result r = verify();
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(String.join("\n",
                "missing: alpha/LICENSE",
                "size differs: alpha/data/train.txt (expected 56 bytes, found 50)",
                "sha256 differs: beta/LICENSE-OTHER (expected " + FakeMirror.ABC_SHA
                        + ", found a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9)",
                "verify: 0/2 datasets OK, 5 files checked (1.0 MB), 3 problems in: alpha, beta in " + data,
                ""), r.out());
    }

    @Test
    void onlySelectedDatasetsAreChecked() throws IOException {
        Files.delete(data.resolve("alpha/LICENSE"));
        CliRunner.Result r = verify("--datasets", "beta");
        assertEquals(0, r.exitCode(), r.out());
        assertEquals("verify: 1/1 datasets OK, 3 files checked (1.0 MB) in " + data + "\n", r.out());
    }

    @Test
    void missingDataDirectoryIsAUserError() {
        Path nowhere = dir.resolve("nowhere");
        CliRunner.Result r = CliRunner.run("data", "verify", nowhere.toString(), "--manifest", mirror.manifestFile.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + nowhere + ": not a directory (give the data directory, or fetch it with: "
                + "dialtune data fetch --to " + nowhere + ")\n", r.err());
    }

    private CliRunner.Result verify(String... extra) {
        String[] args = {"data", "verify", data.toString(), "--manifest", mirror.manifestFile.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return CliRunner.run(all);
    }
}
