package org.dialtune.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dialtune.common.UserError;
import org.dialtune.data.DataFetcher;
import org.dialtune.data.DataManifest;
import org.dialtune.data.ManifestDataset;
import org.dialtune.data.SourceLocator;
import org.dialtune.data.Sources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dialtune data fetch --to DIR}: downloads the pinned files from their public sources. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download the manifest's datasets from their public source repositories, checking "
                + "every file's SHA-256.",
                "Run it again after an interruption: present files are skipped and partial downloads resumed."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every file present and unchanged", "2:bad option or manifest",
                "3:some files could not be fetched (listed before the summary)"})
public final class DataFetchCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, paramLabel = "DIR", description = "Data directory to fill.")
    Path to;

    @Option(names = "--datasets", split = ",", paramLabel = "NAME",
            description = "Only these datasets (comma-separated folder names).")
    List<String> datasets;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL serving BASE/<repo>/<commit>/<path> (http://, https://, file:// or a "
                    + "directory; default: " + SourceLocator.GITHUB_RAW + ").")
    String mirror;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up on a download that receives nothing for this long; the next run resumes it "
                    + "(default: ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Mixin ManifestOption manifest = new ManifestOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        SourceLocator locator = mirror == null ? SourceLocator.githubRaw() : SourceLocator.parse(mirror, "--mirror");
        List<ManifestDataset> selected = manifest.read().select(datasets, "--datasets");
        DataManifest.requireMeasured(selected, manifest.file());
        Path dataDir = to.toAbsolutePath().normalize();
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new UserError("--to: " + dataDir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new UserError("--to: cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dataDir)) {
            throw new UserError("--to: " + dataDir + " is not writable (choose a directory you can write to)");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("fetching " + selected.size() + " datasets into " + dataDir + " from " + locator.base());
        if (stallSeconds < 1) throw new UserError("--stall-timeout: must be at least 1 second, not " + stallSeconds);
        DataFetcher.Report report = new DataFetcher(locator, new Sources(Duration.ofSeconds(stallSeconds)), (done, total, bytesDone, bytesTotal, path, outcome) ->
                err.printf(Locale.ROOT, "[%d/%d files, %.1f/%.1f MB] %s: %s%n",
                        done, total, bytesDone / 1e6, bytesTotal / 1e6, path, outcome))
                .fetch(dataDir, selected);
        PrintWriter out = spec.commandLine().getOut();
        report.problems().forEach(p -> out.println("failed: " + p.line()));
        out.println(report.summary() + " in " + dataDir);
        return report.ok() ? 0 : DataCommand.EXIT_DATA_PROBLEMS;
    }
}
