package org.dialtune.task;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.dialtune.common.DialtuneHome;
import org.dialtune.common.UserError;

/**
 * Task files read data only inside the data directory: a split's path that is absolute, climbs out with
 * {@code ..}, or reaches a file elsewhere through a symbolic link is refused, so a task file (which may
 * come from someone else) cannot turn e.g. /etc/passwd or a home directory into training examples.
 */
final class DataDirectory {
    private final Path real;

    private DataDirectory(Path real) {
        this.real = real;
    }

    /** The data directory with its links followed; {@code null} when it does not exist. */
    static DataDirectory of(Path dataDir) {
        try {
            return new DataDirectory(dataDir.toRealPath());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UserError(dataDir + ": cannot read the data directory: " + e.getMessage(), e);
        }
    }

    /** Why a split's file pattern cannot name a file inside the data directory, or null when it can. */
    static String patternProblem(String pattern) {
        boolean climbs = false;
        for (String part : pattern.split("[/\\\\]")) climbs |= part.equals("..");
        if (climbs || pattern.startsWith("/") || pattern.startsWith("\\")) {
            return "\"" + pattern + "\" is not a path inside the data directory (give it relative to the data"
                    + " directory, without \"..\", e.g. \"mydata/train.csv\")";
        }
        return null;
    }

    /** Checks that {@code file}, links followed, lies inside the data directory. */
    void requireInside(Task task, String split, String pattern, Path file) {
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!target.startsWith(real)) {
            throw new UserError(task.file() + ": field \"splits." + split + "\": \"" + pattern + "\" resolves to "
                    + target + ", outside the data directory " + real + " (task files read only inside it: copy the"
                    + " file there, or point --data / " + DialtuneHome.DATA_ENV + " at a directory that holds it)");
        }
    }
}
