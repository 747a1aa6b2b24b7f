package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end case: in-domain MTL → few-shot k=10 → evaluation, on a tiny BART and real data. */
class TrainCommandTest {
    @TempDir Path dir;

    @Test
    void threeStageRunThenResumeSkipsFinishedStages() throws IOException {
        Path data = SharedData.require("datasets");
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
        Path run = dir.resolve("run.json");
        Files.writeString(run, """
                {"stages": [
                  {"name": "in-domain", "tasks": ["banking77-intent", "hwu64-intent"], "steps": 3,
                   "batch": {"size": 2, "max_source_tokens": 64, "max_target_tokens": 12}, "optimizer": {"lr": 0.001}},
                  {"name": "few-shot", "few_shot": {"task": "clinc150-intent", "k": 10}, "epochs": 1,
                   "batch": {"size": 5, "max_source_tokens": 64, "max_target_tokens": 12}, "eval": {"every_steps": 1}}
                 ],
                 "evaluate": {"split": "test", "max_examples": 6, "scoring": "rank"}}""");
        Path out = dir.resolve("out");
        String[] args = {"train", "--model", model.toString(), "--stage", run.toString(), "--out", out.toString(),
                "--data", data.toString(), "--log-every", "1", "--tasks-dir", Path.of("tasks").toAbsolutePath().toString(),
                "--record-batches"};
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("stage in-domain: done, 3 steps"), r.out());
        assertTrue(r.out().contains("stage few-shot: 10-shot on clinc150-intent (10 validation examples, seed 1)"), r.out());
        assertTrue(r.out().contains("stage few-shot: done, 2 steps"), r.out());
        assertTrue(r.out().contains("clinc150-intent: rank_accuracy = "), r.out());

        // sources are fitted to each stage's budget and the counts reported; 77 and 64 intents cannot fit in 64 tokens
        JsonObject inDomainFit = Json.parseFile(out.resolve("01-in-domain/stage.json")).getAsJsonObject()
                .getAsJsonObject("source_fit");
        assertEquals(64, inDomainFit.get("max_tokens").getAsInt());
        assertEquals(10_000, inDomainFit.get("sources").getAsInt());
        assertEquals(10_000, inDomainFit.get("over_budget").getAsInt());
        assertTrue(r.out().contains("stage in-domain: sources fitted to 64 tokens: 0 of 10000 sources shortened"), r.out());
        JsonObject fewShot = Json.parseFile(out.resolve("02-few-shot/stage.json")).getAsJsonObject();
        assertEquals(20, fewShot.getAsJsonObject("source_fit").get("sources").getAsInt(), "10 shots + 10 validation");
        int best = fewShot.get("best_step").getAsInt();
        assertTrue(best == 1 || best == 2, "best step is a validated step: " + best);
        JsonObject eval = Json.parseFile(out.resolve("evaluation.json")).getAsJsonObject();
        JsonObject first = eval.getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals("clinc150-intent", first.get("task").getAsString());
        assertEquals(6, first.get("examples").getAsInt());
        assertEquals(6, first.getAsJsonObject("source_fit").get("sources").getAsInt(), "the evaluated examples");
        double v = first.get("value").getAsDouble();
        assertTrue(v >= 0 && v <= 1, "accuracy " + v);
        List<String> predictions = Files.readAllLines(out.resolve("predictions/clinc150-intent.jsonl"));
        assertEquals(6, predictions.size());
        // both rankings: the value by summed log-likelihood, the length-normalised one beside it
        int correct = 0;
        int correctNormalized = 0;
        for (String line : predictions) {
            JsonObject p = Json.COMPACT.fromJson(line, JsonObject.class);
            if (p.get("prediction").getAsString().equals(p.get("target").getAsString())) correct++;
            if (p.get("normalized").getAsString().equals(p.get("target").getAsString())) correctNormalized++;
        }
        assertEquals(correct / 6.0, v, 1e-12);
        assertEquals(correctNormalized, first.getAsJsonObject("counts").get("correct_normalized").getAsInt());
        assertEquals(correctNormalized / 6.0,
                first.getAsJsonObject("alternatives").get("rank_accuracy_normalized").getAsDouble(), 1e-12);
        assertEquals("summed log-likelihood", first.getAsJsonObject("settings").get("ranking").getAsString());
        assertTrue(r.out().contains("; rank_accuracy_normalized = "), r.out());
        assertEquals(3, Files.readAllLines(out.resolve("01-in-domain/train_log.jsonl")).stream()
                .filter(l -> l.contains("\"loss\"")).count());

        // --record-batches: one line per micro-batch with each example's texts and token ids
        java.util.List<String> batches = Files.readAllLines(out.resolve("01-in-domain/batches.jsonl"));
        assertEquals(3, batches.size());
        JsonObject b3 = Json.COMPACT.fromJson(batches.get(2), JsonObject.class);
        assertEquals(3, b3.get("global_step").getAsInt());
        assertEquals(2, b3.getAsJsonArray("examples").size());
        JsonObject row = b3.getAsJsonArray("examples").get(0).getAsJsonObject();
        assertTrue(row.get("task").getAsString().matches("banking77-intent|hwu64-intent"), row.toString());
        assertTrue(row.getAsJsonArray("source_ids").size() > 2 && row.getAsJsonArray("label_ids").size() > 2, row.toString());
        assertEquals(2, Files.readAllLines(out.resolve("02-few-shot/batches.jsonl")).size());

        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        CliRunner.Result again = CliRunner.run(resume);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("stage in-domain: already finished, skipped"), again.out());
        assertTrue(again.out().contains("stage few-shot: already finished, skipped"), again.out());

        CliRunner.Result refused = CliRunner.run(args);
        assertEquals(2, refused.exitCode());
        assertEquals("dialtune: error: " + out.resolve("01-in-domain")
                + ": holds checkpoints of an earlier run: add --resume to continue it, or use another --out",
                refused.err().strip());
    }

    @Test
    void bfloat16IsRefusedWithTheReasonAndAFix() throws IOException {
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny-bf16"));
        CliRunner.Result r = CliRunner.run("train", "--model", model.toString(), "--tasks", "banking77-intent",
                "--out", dir.resolve("bf16").toString(), "--precision", "bf16");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --precision bf16: bfloat16 is not available: DJL 0.35.1 aborts the JVM on"
                + " bfloat16 tensors; use fp16 (mixed precision with loss scaling) or fp32", r.err().strip());
    }
}
