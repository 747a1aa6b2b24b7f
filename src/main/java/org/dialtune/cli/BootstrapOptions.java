package org.dialtune.cli;

import org.dialtune.eval.stats.BootstrapConfig;
import picocli.CommandLine.Option;

/** Resampling options shared by the commands that print confidence intervals and p-values. */
public final class BootstrapOptions {
    @Option(names = "--resamples", defaultValue = "10000", paramLabel = "N",
            description = "Bootstrap (and Monte-Carlo permutation) resamples (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--bootstrap-seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the resampling, so reports are reproducible (default: ${DEFAULT-VALUE}).")
    long seed;

    BootstrapConfig config() {
        if (resamples < 1) throw new org.dialtune.common.UserError("--resamples: must be at least 1, got " + resamples);
        return new BootstrapConfig(resamples, seed, BootstrapConfig.DEFAULT.level());
    }
}
