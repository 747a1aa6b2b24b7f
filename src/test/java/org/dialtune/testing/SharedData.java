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

    /**
     * A copy of a shared tiny checkpoint ({@code models/tiny-bart}, {@code models/tiny-bart-std0.2}) in
     * {@code dir} with the real BART tokenizer.json beside it, as the CLI expects a model directory.
     */
    public static Path tinyModelWithTokenizer(String model, Path dir) throws java.io.IOException {
        Path src = require(model);
        Files.createDirectories(dir);
        for (String f : new String[] {"config.json", "model.safetensors", "generation_config.json"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        Files.copy(require("models/bart-tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    /** A path under shared/; the calling test is skipped (not failed) when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "shared data not available: " + p);
        return p;
    }
}
