package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.pipeline.RunSpec;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageSpecTest {
    @TempDir Path dir;

    private Path write(String json) throws IOException {
        Path f = dir.resolve("stage.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void defaultsAreFilledIn() throws IOException {
        StageSpec s = RunSpec.load(write("{\"name\": \"mtl\", \"tasks\": [\"a\", \"b\"], \"steps\": 100}")).stages().get(0);
        assertEquals("previous", s.init());
        assertEquals(List.of("a", "b"), s.tasks());
        assertEquals(100, s.steps());
        assertEquals("on", s.instructions());
        assertEquals(MixtureSettings.PROPORTIONAL, s.mixture());
        assertEquals(new StageSpec.Batch(8, 1, 512, 128), s.batch());
        assertEquals(new StageSpec.Optim(5e-5, 0.01, 0.9, 0.999, 1e-8, false, 1.0), s.optimizer());
        assertEquals(LrSchedule.Kind.LINEAR, s.schedule().kind());
        assertEquals(0, s.schedule().warmupFor(100));
        assertNull(s.fewShot());
    }

    @Test
    void threeStageRun() throws IOException {
        List<StageSpec> run = RunSpec.load(write("""
                {"stages": [
                  {"name": "general", "split": {"file": "eval/splits/split1.json"}, "epochs": 1,
                   "mixture": {"mode": "temperature", "temperature": 2, "cap": 3000},
                   "schedule": {"kind": "cosine", "warmup_ratio": 0.1}},
                  {"name": "in-domain", "tasks": ["x"], "steps": 10, "instructions": "off"},
                  {"name": "few", "few_shot": {"task": "y", "k": 50}, "epochs": 20, "eval": {"every_steps": 5, "patience": 3},
                   "optimizer": {"lr": 1e-4, "clip_norm": 0.5}}
                ]}""")).stages();
        assertEquals(3, run.size());
        assertEquals(new StageSpec.SplitRef("eval/splits/split1.json", "train"), run.get(0).split());
        assertEquals(new MixtureSettings(MixtureSettings.Mode.TEMPERATURE, 3000, 2), run.get(0).mixture());
        assertEquals(10, run.get(0).schedule().warmupFor(100));
        assertEquals("off", run.get(1).instructions());
        assertEquals(new StageSpec.FewShot("y", 50), run.get(2).fewShot());
        assertEquals(new StageSpec.Eval(5, 3), run.get(2).eval());
        assertEquals(0.5, run.get(2).optimizer().clipNorm());
    }

    @Test
    void errorsNameFileAndField() throws IOException {
        Path f = write("{\"name\": \"s\", \"tasks\": [\"a\"], \"steps\": 5, \"schedule\": {\"warmup_step\": 3}}");
        assertEquals(f + ": field \"schedule.warmup_step\": unknown field (allowed here: kind, warmup_steps, warmup_ratio)",
                assertThrows(UserError.class, () -> RunSpec.load(f).stages()).getMessage());
        Path g = write("{\"name\": \"s\", \"tasks\": [\"a\"]}");
        assertEquals(g + ": give exactly one of the fields \"steps\" or \"epochs\"",
                assertThrows(UserError.class, () -> RunSpec.load(g).stages()).getMessage());
        Path h = write("{\"stages\": [{\"name\": \"s\", \"tasks\": [\"a\"], \"steps\": 0}]}");
        assertEquals(h + ": field \"stages[0].steps\": expected a whole number >= 1, got 0",
                assertThrows(UserError.class, () -> RunSpec.load(h).stages()).getMessage());
        Path i = write("{\"name\": \"s\", \"tasks\": [\"a\"], \"steps\": 2, \"mixture\": {\"mode\": \"round-robin\"}}");
        assertEquals(i + ": field \"mixture.mode\": unknown mixture \"round-robin\" (use proportional, temperature or uniform)",
                assertThrows(UserError.class, () -> RunSpec.load(i).stages()).getMessage());
        Path j = write("{\"name\": \"s\", \"tasks\": [\"a\"], \"few_shot\": {\"task\": \"b\"}, \"steps\": 2}");
        assertEquals(j + ": a stage needs exactly one of the fields \"tasks\" (a list), \"split\" or \"few_shot\"",
                assertThrows(UserError.class, () -> RunSpec.load(j).stages()).getMessage());
    }
}
