package org.dialtune.cli;

import org.dialtune.eval.stats.StatsConfig;
import picocli.CommandLine.Option;

/** Options shared by the commands that print confidence intervals and p-values. */
public final class StatsOptions {
    @Option(names = "--resamples", defaultValue = "10000", paramLabel = "N",
            description = "Random sign patterns of the Monte-Carlo sign-flip test, used when a comparison has more than "
                    + "20 independent units (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--permutation-seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the Monte-Carlo sign-flip test, so reports are reproducible (default: ${DEFAULT-VALUE}).")
    long seed;

    StatsConfig config() {
        if (resamples < 1) throw new org.dialtune.common.UserError("--resamples: must be at least 1, got " + resamples);
        return new StatsConfig(resamples, seed, StatsConfig.DEFAULT.level());
    }
}
