package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.cli.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataManifestCommandTest {
    @TempDir Path dir;
    FakeMirror mirror;
    Path data;
    Path skeleton;

    @BeforeEach
    void setUp() throws IOException {
        mirror = new FakeMirror(dir);
        data = dir.resolve("data");
        mirror.copyAsDataDir(data);
        skeleton = dir.resolve("skeleton.json");
        ManifestJson.write(withoutDigests(mirror.manifest), skeleton);
    }

    @Test
    void measuresSizesAndHashesAndKeepsSources() {
        Path out = dir.resolve("out/manifest.json");
        CliRunner.Result r = CliRunner.run("data", "manifest", "--manifest", skeleton.toString(),
                "--from", data.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("manifest: 2 datasets, 5 files measured in " + data + ", 5 with a new size or sha256; written to "
                + out + "\n", r.out());
        assertEquals(mirror.manifest, ManifestJson.read(out)); // reference hashes, repos, commits, notes
    }

    @Test
    void refreshesInPlaceAndReportsFilesNotInTheManifest() throws IOException {
        Files.writeString(data.resolve("alpha/SOURCE.md"), "written locally");
        CliRunner.Result r = CliRunner.run("data", "manifest", "--manifest", skeleton.toString(), "--from", data.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("note: 1 files in the datasets' folders are not in the manifest (left out of "
                + "fetch and verify): alpha/SOURCE.md\n"), r.out());
        assertEquals(mirror.manifest, ManifestJson.read(skeleton));
    }

    @Test
    void missingFileFailsNamingItAndWritesNothing() throws IOException {
        Files.delete(data.resolve("beta/x/empty.txt"));
        Files.delete(data.resolve("alpha/LICENSE"));
        Path out = dir.resolve("new.json");
        CliRunner.Result r = CliRunner.run("data", "manifest", "--manifest", skeleton.toString(),
                "--from", data.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + data + ": 2 files of the manifest missing: alpha/LICENSE, beta/x/empty.txt "
                + "(restore them, or remove their entries from the manifest)\n", r.err());
        assertFalse(Files.exists(out));
    }

    private static DataManifest withoutDigests(DataManifest m) {
        List<ManifestDataset> datasets = new ArrayList<>();
        for (ManifestDataset d : m.datasets()) {
            datasets.add(d.withFiles(d.files().stream()
                    .map(f -> new ManifestFile(f.path(), f.source(), f.repo(), f.commit(), null, null)).toList()));
        }
        return m.withDatasets(datasets);
    }
}
