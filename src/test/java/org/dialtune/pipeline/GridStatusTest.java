package org.dialtune.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.Precision;
import org.dialtune.pipeline.slurm.GridStatus;
import org.dialtune.pipeline.slurm.SlurmQueue;
import org.dialtune.pipeline.slurm.SlurmTools;
import org.dialtune.pipeline.slurm.SubmissionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a unit can stand, from its files and from what squeue says of its array task. */
class GridStatusTest {
    @TempDir Path dir;

    @Test
    void statesComeFromTheUnitsFilesAndTheQueue() throws IOException {
        Path spec = Path.of("eval/experiments/tiny-grid.json");
        GridPlan plan = GridPlan.of(ExperimentSpec.load(spec, Path.of("").toAbsolutePath()), Precision.FP32,
                f -> Json.parseFile(f).getAsJsonObject().get("name").getAsString());
        Path run = dir.resolve("run");
        SubmissionLog log = SubmissionLog.read(run);
        log.add("stages", "7", List.of(0, 1), null, List.of("dialtune", "experiment", "submit"));
        log.add("cells", "8", List.of(2, 3, 4, 5, 6, 7, 8), "afterok:7", List.of("dialtune", "experiment", "submit"));
        // 0: done; 1: its attempt failed with an error; 2: running; 3: pending; 4: started, then gone from the
        // queue (killed); 5: ended TIMEOUT; 6: left the queue without starting; 7: started with no squeue to ask
        // (see below); 8: pending; 9: never submitted
        GridUnit stage = plan.atIndex(0);
        UnitRecords done = new UnitRecords(run, stage);
        done.finish(done.start(stage, "c", Map.of()), null, new JsonObject());
        UnitRecords failed = new UnitRecords(run, plan.atIndex(1));
        failed.fail(failed.start(plan.atIndex(1), "c", Map.of()), new UserError("stage file missing"));
        new UnitRecords(run, plan.atIndex(2)).start(plan.atIndex(2), "c", Map.of());
        new UnitRecords(run, plan.atIndex(4)).start(plan.atIndex(4), "c", Map.of());
        new UnitRecords(run, plan.atIndex(5)).start(plan.atIndex(5), "c", Map.of());
        new UnitRecords(run, plan.atIndex(7)).start(plan.atIndex(7), "c", Map.of());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("squeue"), """
                #!/bin/bash
                echo '7|1|FAILED|NonZeroExitCode'
                echo '8|2|RUNNING|None'
                echo '8|3|PENDING|Resources'
                echo '8|5|TIMEOUT|None'
                echo '8|8|PENDING|Dependency'
                echo '99|4|RUNNING|None'
                """);
        Files.setPosixFilePermissions(bin.resolve("squeue"), PosixFilePermissions.fromString("rwxr-xr-x"));
        GridStatus s = GridStatus.of(run, plan, SubmissionLog.read(run), SlurmQueue.query(new SlurmTools(bin.toString()),
                List.of("7", "8")));
        List<String> states = s.units().stream().map(u -> u.state().label() + ": " + u.detail()).toList();
        assertEquals("done: ", states.get(0));
        assertEquals("failed: stage file missing", states.get(1));
        assertEquals("running: RUNNING", states.get(2));
        assertEquals("pending: PENDING (Resources)", states.get(3));
        assertEquals(true, states.get(4).matches("failed: started .* on .*, stopped without finishing \\(killed, or out of time or memory\\?\\)"),
                states.get(4));
        assertEquals("failed: array task ended TIMEOUT without finishing", states.get(5));
        assertEquals("not started: array task 8_6 left the queue without starting (cancelled?)", states.get(6));
        assertEquals("pending: PENDING (Dependency)", states.get(8));
        assertEquals("not started: not submitted", states.get(9));
        assertEquals(run.resolve("slurm/logs/cells-8_5.log"), s.units().get(5).log());
        assertEquals("1 done, 1 running, 2 pending, 4 failed, 2 not started (of 10 units)", s.summary());
        assertEquals(List.of(1, 4, 5, 6, 7, 9), s.units().stream().filter(GridStatus.UnitStatus::toRun).map(u -> u.unit().index()).toList());

        // without squeue a started unit may still be running: it is not submitted again
        GridStatus blind = GridStatus.of(run, plan, SubmissionLog.read(run), SlurmQueue.none());
        assertEquals(GridStatus.State.RUNNING, blind.units().get(7).state());
        assertEquals(true, blind.units().get(7).detail().endsWith("no squeue here to tell whether it still runs"));
    }
}
