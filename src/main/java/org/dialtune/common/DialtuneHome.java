package org.dialtune.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where dialtune's own files live (tasks/, instructions/, eval/) and where datasets are read from.
 *
 * <p>The launcher {@code bin/dialtune} sets {@code -Ddialtune.home} to the repository root so the
 * commands work from any directory; tests and IDE runs fall back to the working directory.
 */
public final class DialtuneHome {
    public static final String HOME_PROPERTY = "dialtune.home";
    public static final String DATA_ENV = "DIALTUNE_DATA";

    private DialtuneHome() {}

    public static Path home() {
        String h = System.getProperty(HOME_PROPERTY);
        return (h == null || h.isBlank() ? Paths.get("") : Paths.get(h)).toAbsolutePath().normalize();
    }

    public static Path tasksDir() {
        return home().resolve("tasks");
    }

    public static Path instructionsDir() {
        return home().resolve("instructions");
    }

    public static Path evalDir() {
        return home().resolve("eval");
    }

    /**
     * The data directory when {@code --data} is not given: {@code $DIALTUNE_DATA}, else
     * {@code ../shared/datasets} next to the checkout (the layout of our development machines),
     * else {@code data/} in the home directory.
     */
    public static Path defaultDataDir() {
        String env = System.getenv(DATA_ENV);
        if (env != null && !env.isBlank()) return Paths.get(env).toAbsolutePath().normalize();
        Path shared = home().resolve("../shared/datasets").normalize();
        if (Files.isDirectory(shared)) return shared;
        return home().resolve("data");
    }
}
