package org.dialtune.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dialtune.common.UserError;
import org.dialtune.data.DataManifest;
import org.dialtune.data.ManifestJson;
import org.dialtune.data.ManifestRefresher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtune data manifest --from DIR} (maintainers): re-measures sizes and SHA-256 of the
 * manifest's files, keeping repositories, commits and paths, and rewrites the manifest atomically.
 */
@Command(name = "manifest", mixinStandardHelpOptions = true,
        description = {"Maintainers: recompute size and SHA-256 of every manifest file from a data directory.",
                "Repositories, commits and paths are kept; add a dataset by adding its entry without hashes, "
                        + "then run this."})
public final class DataManifestCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Data directory holding every file.")
    Path from;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write (default: the manifest read).")
    Path out;

    @Mixin ManifestOption manifest = new ManifestOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(from)) throw new UserError("--from: " + from + " is not a directory");
        DataManifest current = manifest.read();
        ManifestRefresher.Result result = ManifestRefresher.refresh(current, from.toAbsolutePath().normalize());
        Path target = out != null ? out : manifest.file();
        ManifestJson.write(result.manifest(), target);
        PrintWriter o = spec.commandLine().getOut();
        if (!result.unlisted().isEmpty()) {
            o.println("note: " + result.unlisted().size() + " files in the datasets' folders are not in the manifest "
                    + "(left out of fetch and verify): " + String.join(", ", result.unlisted()));
        }
        o.println("manifest: " + current.datasets().size() + " datasets, " + current.fileCount() + " files measured in "
                + from + ", " + result.filesChanged() + " with a new size or sha256; written to " + target);
        return 0;
    }
}
