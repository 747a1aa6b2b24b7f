package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dialtune.cli.CliRunner;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The committed tasks/data-manifest.json against the real ../shared/datasets. */
class CommittedManifestTest {
    private static final Path MANIFEST = Path.of("tasks", DataManifest.DEFAULT_FILE);

    @Test
    void dataVerifyPassesOnSharedDatasets() {
        Path datasets = SharedData.require("datasets");
        CliRunner.Result r = CliRunner.run("data", "verify", datasets.toString(), "--manifest", MANIFEST.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals("verify: 25/25 datasets OK, 326 files checked (110.4 MB) in " + datasets + "\n", r.out());
    }

    /** Only the files written for this project (README.md, each SOURCE.md) may be missing from the manifest. */
    @Test
    void listsEveryFileOfSharedDatasetsButOurOwnNotes() throws IOException {
        Path datasets = SharedData.require("datasets");
        List<String> listed = ManifestJson.read(MANIFEST).datasets().stream()
                .flatMap(d -> d.files().stream()).map(ManifestFile::path).sorted().toList();
        List<String> onDisk;
        try (Stream<Path> walk = Files.walk(datasets)) {
            onDisk = walk.filter(Files::isRegularFile).map(p -> datasets.relativize(p).toString())
                    .filter(p -> !p.equals("README.md") && !p.matches("[^/]+/SOURCE\\.md")).sorted().toList();
        }
        assertEquals(onDisk, listed);
    }
}
