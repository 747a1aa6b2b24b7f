package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A T5 (the v1.1 test checkpoint transformers wrote) through the training pipeline from the CLI: in-domain
 * multi-task training, a 10-shot stage with validation, rank evaluation, a saved model transformers'
 * layout, and --resume.
 */
class T5TrainCommandTest {
    @TempDir Path dir;

    @Test
    void t5TrainsFewShotEvaluatesAndResumes() throws IOException, URISyntaxException {
        Path data = SharedData.require("datasets");
        Path model = Path.of(T5TrainCommandTest.class.getResource("/org/dialtune/model/t5/t5-v1_1").toURI());
        Path run = dir.resolve("run.json");
        Files.writeString(run, """
                {"stages": [
                  {"name": "in-domain", "tasks": ["banking77-intent", "hwu64-intent"], "steps": 3,
                   "batch": {"size": 2, "max_source_tokens": 96, "max_target_tokens": 16}, "optimizer": {"lr": 0.001}},
                  {"name": "few-shot", "few_shot": {"task": "clinc150-intent", "k": 10}, "epochs": 1,
                   "batch": {"size": 5, "max_source_tokens": 96, "max_target_tokens": 16}, "eval": {"every_steps": 1}}
                 ],
                 "evaluate": {"split": "test", "max_examples": 6, "scoring": "rank"}}""");
        Path out = dir.resolve("out");
        String[] args = {"train", "--model", model.toString(), "--stage", run.toString(), "--out", out.toString(),
                "--data", data.toString(), "--log-every", "1", "--tasks-dir", Path.of("tasks").toAbsolutePath().toString()};
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("stage in-domain: done, 3 steps"), r.out());
        assertTrue(r.out().contains("stage few-shot: done, 2 steps"), r.out());
        assertTrue(r.out().contains("clinc150-intent: rank_accuracy = "), r.out());
        List<String> log = Files.readAllLines(out.resolve("01-in-domain/train_log.jsonl"));
        assertEquals(3, log.stream().filter(l -> l.contains("\"loss\"")).count());
        for (String l : log) {
            if (l.contains("\"loss\"")) {
                double loss = Json.COMPACT.fromJson(l, JsonObject.class).get("loss").getAsDouble();
                assertTrue(Double.isFinite(loss) && loss > 0, l);
            }
        }
        JsonObject eval = Json.parseFile(out.resolve("evaluation.json")).getAsJsonObject();
        assertEquals(6, eval.getAsJsonArray("results").get(0).getAsJsonObject().get("examples").getAsInt());

        CliRunner.Result again = CliRunner.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--resume")).toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("stage in-domain: already finished, skipped"), again.out());
        assertFalse(again.out().contains("stage few-shot: done"), again.out());
    }
}
