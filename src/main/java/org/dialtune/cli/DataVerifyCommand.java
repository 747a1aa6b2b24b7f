package org.dialtune.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.UserError;
import org.dialtune.data.DataManifest;
import org.dialtune.data.DataVerifier;
import org.dialtune.data.ManifestDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtune data verify [DIR]}: one line per missing or changed file, then a summary. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a data directory against the manifest: size and SHA-256 of every file.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every file present and unchanged", "2:bad option or manifest",
                "3:some files missing or changed (one line each)"})
public final class DataVerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Data directory (default: $DIALTUNE_DATA, else ../shared/datasets, else data/).")
    Path dir;

    @Option(names = "--datasets", split = ",", paramLabel = "NAME",
            description = "Only these datasets (comma-separated folder names).")
    List<String> datasets;

    @Mixin ManifestOption manifest = new ManifestOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Path dataDir = (dir != null ? dir : DialtuneHome.defaultDataDir()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dataDir)) {
            throw new UserError(dataDir + ": not a directory (give the data directory, or fetch it with: "
                    + "dialtune data fetch --to " + dataDir + ")");
        }
        List<ManifestDataset> selected = manifest.read().select(datasets, "--datasets");
        DataManifest.requireMeasured(selected, manifest.file());
        DataVerifier.Report report = DataVerifier.verify(dataDir, selected);
        PrintWriter out = spec.commandLine().getOut();
        report.problems().forEach(p -> out.println(p.line()));
        out.println(report.summary() + " in " + dataDir);
        return report.ok() ? 0 : DataCommand.EXIT_DATA_PROBLEMS;
    }
}
