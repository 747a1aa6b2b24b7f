package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task files read only inside the data directory: no absolute paths, no "..", no links leading out. */
class DataDirectoryTest {
    @TempDir Path dir;

    private Fixtures fx() {
        return new Fixtures(dir);
    }

    /** The toy CSV task with its train split read from {@code train} (JSON, e.g. "'x.csv'"). */
    private Path taskFile(String train) {
        String json = Fixtures.csvTask("toy", "").replace("'train': 'toy/train.csv'", "'train': " + train);
        return fx().task("toy", json);
    }

    private void toyData() {
        fx().data("toy/train.csv", "text,intent\nhi,greet\nbye,leave\n");
        fx().data("toy/test.csv", "text,intent\nhey,greet\n");
    }

    @Test
    void absoluteAndClimbingPathsAreRefusedWhenTheTaskFileIsParsed() {
        for (String path : List.of("/etc/passwd", "../../../../etc/passwd", "toy/../../secret.csv", "toy/..\\\\x.csv")) {
            Path file = taskFile("'" + path + "'");
            UserError e = assertThrows(UserError.class, () -> Fixtures.parser().parse(file), path);
            assertEquals(file + ": field \"splits.train\": \"" + path.replace("\\\\", "\\") + "\" is not a path inside the"
                    + " data directory (give it relative to the data directory, without \"..\", e.g."
                    + " \"mydata/train.csv\")", e.getMessage());
        }
        Path file = taskFile("{'files': ['toy/train.csv', '/etc/*'], 'max_examples': 5}");
        UserError e = assertThrows(UserError.class, () -> Fixtures.parser().parse(file));
        assertEquals(file + ": field \"splits.train.files\": \"/etc/*\" is not a path inside the data directory (give it"
                + " relative to the data directory, without \"..\", e.g. \"mydata/train.csv\")", e.getMessage());
    }

    @Test
    void aLinkLeadingOutOfTheDataDirectoryIsRefused() throws IOException {
        toyData();
        Path secret = Fixtures.write(dir.resolve("outside/secret.csv"), "text,intent\nmy password,greet\nx,leave\n");
        Files.createSymbolicLink(fx().data().resolve("toy/linked.csv"), secret);
        Task t = Fixtures.parser().parse(taskFile("'toy/linked.csv'"));
        UserError e = assertThrows(UserError.class, () -> TaskData.load(t, fx().data(), List.of("train")));
        assertEquals(t.file() + ": field \"splits.train\": \"toy/linked.csv\" resolves to " + secret.toRealPath()
                + ", outside the data directory " + fx().data().toRealPath() + " (task files read only inside it: copy"
                + " the file there, or point --data / DIALTUNE_DATA at a directory that holds it)", e.getMessage());

        // through a glob, and through a linked folder
        Task glob = Fixtures.parser().parse(taskFile("'toy/*.csv'"));
        e = assertThrows(UserError.class, () -> TaskData.load(glob, fx().data(), List.of("train")));
        assertEquals(true, e.getMessage().contains("\"toy/*.csv\" resolves to " + secret.toRealPath() + ", outside"),
                e.getMessage());
        Files.delete(fx().data().resolve("toy/linked.csv"));
        Files.createSymbolicLink(fx().data().resolve("elsewhere"), secret.getParent());
        Task folder = Fixtures.parser().parse(taskFile("'elsewhere/secret.csv'"));
        e = assertThrows(UserError.class, () -> TaskData.load(folder, fx().data(), List.of("train")));
        assertEquals(true, e.getMessage().contains("resolves to " + secret.toRealPath() + ", outside"), e.getMessage());
    }

    @Test
    void linksInsideTheDataDirectoryAndALinkedDataDirectoryAreFine() throws IOException {
        toyData();
        Files.createSymbolicLink(fx().data().resolve("toy/alias.csv"), fx().data().resolve("toy/train.csv"));
        Path linkedData = Files.createSymbolicLink(dir.resolve("data-link"), fx().data());
        Task t = Fixtures.parser().parse(taskFile("'toy/alias.csv'"));
        assertEquals(2, TaskData.load(t, linkedData, List.of("train")).splits().get("train").counts().kept());
        Task glob = Fixtures.parser().parse(taskFile("'toy/tr*.csv'"));
        assertEquals(2, TaskData.load(glob, linkedData, List.of("train")).splits().get("train").counts().kept());
    }
}
