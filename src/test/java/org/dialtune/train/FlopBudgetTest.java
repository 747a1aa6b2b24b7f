package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FLOPs logged per step from the real batches, a stage stopping at budget_flops, and resuming it exactly. */
class FlopBudgetTest {
    @TempDir static Path dir;
    static Path init;
    static Path tokenizerFile;
    static final StageTrainer.Options OPTIONS = new StageTrainer.Options(1, 3, 2, Device.cpu(), Precision.FP32, true);

    @BeforeAll
    static void tinyModel() {
        tokenizerFile = SharedData.require("models/bart-tokenizer/tokenizer.json");
        JsonObject c = JsonParser.parseString("{\"model_type\": \"bart\", \"d_model\": 16, \"encoder_layers\": 1,"
                + " \"decoder_layers\": 1, \"encoder_attention_heads\": 2, \"decoder_attention_heads\": 2,"
                + " \"encoder_ffn_dim\": 32, \"decoder_ffn_dim\": 32, \"max_position_embeddings\": 64, \"dropout\": 0.1}")
                .getAsJsonObject();
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        init = dir.resolve("init");
        try (Seq2SeqLm m = ModelFamilies.of(config).random(config, Device.cpu(), 3)) {
            Checkpoint.save(m, init, tokenizerFile);
        }
    }

    private static Map<String, List<Seq2SeqExample>> pool() {
        String[] words = {"hi", "thanks a lot for that", "book a table", "what time is it now", "jazz", "cancel it please"};
        List<Seq2SeqExample> xs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String w = words[i % words.length] + " " + i;
            xs.add(new Seq2SeqExample("echo", "train", "e" + i, null, "echo: " + w, w, List.of()));
        }
        return Map.of("echo", xs);
    }

    private static StageSpec stage(String extra) {
        JsonObject o = JsonParser.parseString("{\"name\": \"b\", \"tasks\": [\"echo\"], \"steps\": 8, \"checkpoint_every\": 2,"
                + " \"batch\": {\"size\": 3, \"max_source_tokens\": 16, \"max_target_tokens\": 12},"
                + " \"optimizer\": {\"lr\": 0.003}, \"schedule\": {\"kind\": \"constant\"}, \"eval\": {\"every_steps\": 3}"
                + extra + "}").getAsJsonObject();
        return StageSpec.parse(new SpecObject(Path.of("stage.json"), "", o));
    }

    private static List<JsonObject> log(Path run) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("train_log.jsonl"))) {
            JsonObject o = Json.COMPACT.fromJson(line, JsonObject.class);
            if (!o.has("loss")) continue; // validation lines
            for (String timing : List.of("tokens_per_s", "rss_mb", "step_ms")) o.remove(timing);
            out.add(o);
        }
        return out;
    }

    @Test
    void stepsAreCountedFromTheirBatchesAndTheBudgetStopsTheStage() throws IOException {
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizerFile); Seq2SeqLm model = Checkpoint.load(init, Device.cpu()).model()) {
            Path free = dir.resolve("free");
            StageTrainer.Result all = new StageTrainer(stage(""), OPTIONS).run(init, tok, pool(), m -> 0.0, free, false);
            assertEquals(StageTrainer.StopReason.STEPS, all.stopReason());
            FlopCounter counter = FlopCounter.of(model, model.setTrainable(n -> true).keySet());
            assertEquals(counter.trainableParameters(), all.trainableParams());
            // each step's FLOPs are the counter's for its recorded batch, padded: rows × longest source and target
            List<JsonObject> steps = log(free);
            List<String> batches = Files.readAllLines(free.resolve(BatchRecorder.FILE));
            assertEquals(8, steps.size());
            double sum = 0;
            for (int i = 0; i < 8; i++) {
                JsonObject b = Json.COMPACT.fromJson(batches.get(i), JsonObject.class);
                int rows = b.getAsJsonArray("examples").size();
                int s = 0;
                int t = 0;
                for (var e : b.getAsJsonArray("examples")) {
                    s = Math.max(s, e.getAsJsonObject().getAsJsonArray("source_ids").size());
                    t = Math.max(t, e.getAsJsonObject().getAsJsonArray("label_ids").size());
                }
                double expected = counter.batch(rows, s, t).total();
                assertEquals(expected, steps.get(i).get("step_flops").getAsDouble(), "step " + (i + 1));
                sum += expected;
                assertEquals(sum, steps.get(i).get("flops").getAsDouble(), 1e-9 * sum, "cumulative at step " + (i + 1));
            }
            assertEquals(sum, all.flops(), 1e-9 * sum);

            // a budget just below the FLOPs of 5 steps: the stage ends after step 5, says why, and its weights are step 5's
            double budget = steps.get(4).get("flops").getAsDouble() - 1;
            Path capped = dir.resolve("capped");
            StageTrainer.Result r = new StageTrainer(stage(", \"budget_flops\": " + budget), OPTIONS)
                    .run(init, tok, pool(), null, capped, false);
            assertEquals(5, r.steps());
            assertEquals(StageTrainer.StopReason.BUDGET_FLOPS, r.stopReason());
            assertEquals(steps.get(4).get("flops").getAsDouble(), r.flops());
            List<JsonObject> cappedLog = log(capped);
            assertEquals(5, cappedLog.size());
            assertEquals("budget_flops", cappedLog.get(4).get("stop").getAsString());
            assertFalse(cappedLog.get(3).has("stop"));
            assertEquals(steps.subList(0, 4), cappedLog.subList(0, 4)); // same run until the budget (constant lr)
            assertArrayEquals(Files.readAllBytes(capped.resolve("checkpoints/step-00000005/model/model.safetensors")),
                    Files.readAllBytes(capped.resolve("model/model.safetensors")));

            // a budget the first step already exceeds trains exactly one step
            StageTrainer.Result one = new StageTrainer(stage(", \"budget_flops\": 1"), OPTIONS)
                    .run(init, tok, pool(), m -> 0.0, dir.resolve("one"), false);
            assertEquals(1, one.steps());
        }
        UserError bad = assertThrows(UserError.class, () -> stage(", \"budget_flops\": 0"));
        assertTrue(bad.getMessage().contains("budget_flops") && bad.getMessage().contains("must be a number of FLOPs > 0"),
                bad.getMessage());
    }

    @Test
    void aBudgetedStageResumesExactly() throws IOException {
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizerFile)) {
            Path probe = dir.resolve("probe");
            new StageTrainer(stage(""), OPTIONS).run(init, tok, pool(), m -> 0.0, probe, false);
            double budget = log(probe).get(4).get("flops").getAsDouble() - 1; // reached at step 5
            StageSpec stage = stage(", \"budget_flops\": " + budget);

            Path unbroken = dir.resolve("unbroken");
            StageTrainer.Result a = new StageTrainer(stage, OPTIONS).run(init, tok, pool(), m -> 0.0, unbroken, false);
            Path broken = dir.resolve("broken");
            assertThrows(IllegalStateException.class, () -> new StageTrainer(stage, OPTIONS).run(init, tok, pool(),
                    m -> { throw new IllegalStateException("crash at step 3"); }, broken, false));
            StageTrainer.Result b = new StageTrainer(stage, OPTIONS).run(init, tok, pool(), m -> 0.0, broken, true);
            assertEquals(5, b.steps());
            assertEquals(StageTrainer.StopReason.BUDGET_FLOPS, b.stopReason());
            assertEquals(a.flops(), b.flops());
            assertEquals(log(unbroken), log(broken));
            assertArrayEquals(Files.readAllBytes(unbroken.resolve("model/model.safetensors")),
                    Files.readAllBytes(broken.resolve("model/model.safetensors")));

            // resumed from the checkpoint of the step that reached the budget, there is nothing left to train
            StageTrainer.Result again = new StageTrainer(stage, OPTIONS).run(init, tok, pool(), m -> 0.0, broken, true);
            assertEquals(5, again.steps());
            assertEquals(StageTrainer.StopReason.BUDGET_FLOPS, again.stopReason());
            assertEquals(a.flops(), again.flops());
            assertEquals(log(unbroken), log(broken));
        }
    }
}
