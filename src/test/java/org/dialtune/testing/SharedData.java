package org.dialtune.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only {@code ../shared} folder (datasets, tiny BART checkpoints, tokenizer) that our
 * machines and CI have beside the checkout. Surefire passes its path as {@code dialtune.shared}.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String p = System.getProperty("dialtune.shared", "../shared");
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** A path under shared/; the calling test is skipped (not failed) when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "shared data not available: " + p);
        return p;
    }
}
