package org.dialtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dialtune data ...}: the pinned data manifest, and getting and checking the datasets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Get the datasets (fetch), check a data directory (verify), refresh the manifest (manifest).",
        subcommands = {DataVerifyCommand.class, DataFetchCommand.class, DataManifestCommand.class})
public final class DataCommand implements Runnable {
    /** Exit status when the command ran but the data is not all there or not all right. */
    static final int EXIT_DATA_PROBLEMS = 3;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
