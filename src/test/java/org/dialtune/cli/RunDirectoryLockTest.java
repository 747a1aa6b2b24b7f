package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.RunDirLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that writes a run directory refuses to share it with a writer that holds it. */
class RunDirectoryLockTest {
    @TempDir Path dir;

    @Test
    void trainExperimentDemoAndInstructionsCompareRefuseARunDirectoryInUse() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("tokenizer.json"), "{}");
        Path grid = Files.writeString(dir.resolve("grid.json"), "{\"name\": \"g\", \"models\": {\"m\": \"" + model + "\"},"
                + " \"conditions\": {\"none\": []}, \"splits\": [\"" + Path.of("eval/splits/demo.json").toAbsolutePath()
                + "\"], \"shots\": [0], \"seeds\": [1], \"instructions\": [\"on\"],"
                + " \"evaluate\": {\"split\": \"test\", \"max_examples\": 2, \"scoring\": \"rank\"}}");
        Path run = dir.resolve("run");
        try (RunDirLock held = RunDirLock.acquire(run, s -> { })) {
            String holder = Files.readString(held.file());
            String expected = "dialtune: error: " + run + ": another dialtune run is writing this run directory (pid "
                    + ProcessHandle.current().pid() + " on host " + holder.lines().toList().get(1).substring(5)
                    + ", started " + holder.lines().toList().get(2).substring(8) + "; lock file " + held.file()
                    + "): wait for it to finish, or use another --out\n";
            for (List<String> args : List.of(
                    List.of("train", "--model", model.toString(), "--tasks", "banking77-intent", "--out", run.toString()),
                    List.of("experiment", "run", grid.toString(), "--out", run.toString()),
                    List.of("demo", "--out", run.toString(), "--fresh"),
                    List.of("instructions", "compare", "--model", model.toString(), "--tasks", "banking77-intent",
                            "--out", run.toString()))) {
                CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
                assertEquals(2, r.exitCode(), args + ": " + r.err());
                assertEquals(expected, r.err(), args.toString());
                assertEquals(List.of(RunDirLock.FILE), Files.list(run).map(p -> p.getFileName().toString()).toList(),
                        args + " wrote nothing");
            }
        }
    }
}
