package org.dialtune.cli;

import java.nio.file.Path;
import org.dialtune.common.DialtuneHome;
import org.dialtune.data.DataManifest;
import org.dialtune.data.ManifestJson;
import picocli.CommandLine.Option;

/** {@code --manifest FILE}, shared by the data commands. */
public final class ManifestOption {
    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Data manifest (default: tasks/data-manifest.json of this dialtune).")
    Path manifest;

    Path file() {
        return manifest != null ? manifest : DialtuneHome.tasksDir().resolve(DataManifest.DEFAULT_FILE);
    }

    DataManifest read() {
        return ManifestJson.read(file());
    }
}
