package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.dialtune.task.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tasks splits}: one summary line per valid split file, the validator's one-line error otherwise. */
class TasksSplitsCommandTest {
    @TempDir Path dir;

    private Fixtures suite() {
        Fixtures fx = new Fixtures(dir);
        fx.task("intent-a", Fixtures.csvTask("intent-a", "").replace("'dataset': 'toy'", "'dataset': 'a'"));
        fx.task("intent-b", Fixtures.csvTask("intent-b", "").replace("'dataset': 'toy'", "'dataset': 'b'"));
        fx.task("gen-b", "{'name': 'gen-b', 'family': 'summarization', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': 'b', 'license': 'CC0', 'reader': 'csv', 'splits': {'train': 'b/train.csv',"
                + " 'test': 'b/test.csv'}, 'fields': {'context': 'text', 'target': 'summary'}}");
        return fx;
    }

    @Test
    void summarisesValidSplitsAndRejectsABadOne() {
        Fixtures fx = suite();
        Path good = Fixtures.write(dir.resolve("splits/good.json"),
                "{\"name\": \"good\", \"train\": [\"intent-a\"], \"test\": [\"intent-b\", \"gen-b\"]}");
        CliRunner.Result ok = CliRunner.run("tasks", "splits", "--tasks-dir", fx.tasks().toString(), good.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("good: 1 train, 2 test (1 classification, 1 generation): intent-b, gen-b", ok.out().strip());

        Path bad = Fixtures.write(dir.resolve("splits/bad.json"),
                "{\"name\": \"bad\", \"train\": [\"intent-a\", \"gen-b\"], \"test\": [\"intent-b\", \"gen-b\"]}");
        CliRunner.Result r = CliRunner.run("tasks", "splits", "--tasks-dir", fx.tasks().toString(), good.toString(),
                bad.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + bad + ": field \"test\": task \"gen-b\" is also in \"train\" (a test task "
                + "must be held out)", r.err().strip());
    }
}
