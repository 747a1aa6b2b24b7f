package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dialtune.pipeline.RunSpec;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.checkpoint.SafeTensorsFile;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A tiny BART with dropout on, trained for real: resume must reproduce the unbroken run exactly. */
class StageTrainerTest {
    @TempDir static Path dir;
    static Path init;
    static Path tokenizerFile;

    @BeforeAll
    static void tinyModel() {
        tokenizerFile = SharedData.require("models/bart-tokenizer/tokenizer.json");
        JsonObject c = tinyConfig(0.1);
        c.addProperty("attention_dropout", 0.1);
        c.addProperty("forced_bos_token_id", 0);
        init = dir.resolve("init");
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        try (Seq2SeqLm m = ModelFamilies.of(config).random(config, Device.cpu(), 7)) {
            Checkpoint.save(m, init, tokenizerFile);
        }
    }

    /** The one-layer, 16-wide BART both tests start from, with the given hidden dropout. */
    private static JsonObject tinyConfig(double dropout) {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "bart");
        c.addProperty("d_model", 16);
        c.addProperty("encoder_layers", 1);
        c.addProperty("decoder_layers", 1);
        c.addProperty("encoder_attention_heads", 2);
        c.addProperty("decoder_attention_heads", 2);
        c.addProperty("encoder_ffn_dim", 32);
        c.addProperty("decoder_ffn_dim", 32);
        c.addProperty("max_position_embeddings", 64);
        c.addProperty("dropout", dropout);
        return c;
    }

    private static Map<String, List<Seq2SeqExample>> pool() {
        Map<String, List<Seq2SeqExample>> p = new TreeMap<>();
        String[] words = {"hello", "thanks a lot", "book a table", "what time is it", "play some jazz", "cancel it"};
        for (String task : List.of("echo", "upper")) {
            List<Seq2SeqExample> xs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String w = words[i % words.length] + " " + i;
                xs.add(new Seq2SeqExample(task, "train", task + i, null, task + ": " + w,
                        task.equals("echo") ? w : w.toUpperCase(), List.of()));
            }
            p.put(task, xs);
        }
        return p;
    }

    private static StageSpec stage() throws IOException {
        Path f = dir.resolve("stage.json");
        Files.writeString(f, """
                {"name": "mtl", "tasks": ["echo", "upper"], "steps": 8, "checkpoint_every": 3,
                 "batch": {"size": 4, "max_source_tokens": 16, "max_target_tokens": 12},
                 "optimizer": {"lr": 0.003}, "schedule": {"kind": "linear", "warmup_steps": 2},
                 "eval": {"every_steps": 5}}""");
        return RunSpec.load(f).stages().get(0);
    }

    /** Deterministic function of the weights, so both runs select the same "best". */
    private static double weightScore(Seq2SeqLm m) {
        return m.tensors().get("model.shared.weight").sum().getFloat();
    }

    private static StageTrainer.Options options(Precision precision) {
        return new StageTrainer.Options(1, 2, 2, Device.cpu(), precision, true);
    }

    /** In fp16 (float16 products, loss scaling) as in fp32: the loss scaler's state is resumed too. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void resumedRunEqualsUnbrokenRun(Precision precision) throws IOException {
        StageSpec stage = stage();
        StageTrainer.Options options = options(precision);
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizerFile)) {
            Path a = dir.resolve("unbroken-" + precision);
            StageTrainer.Result full = new StageTrainer(stage, options).run(init, tok, pool(),
                    StageTrainerTest::weightScore, a, false);
            assertEquals(8, full.steps());
            assertTrue(full.losses().get(7) < full.losses().get(0), "loss should fall: " + full.losses());

            Path b = dir.resolve("broken-" + precision);
            RuntimeException crash = assertThrows(RuntimeException.class, () -> new StageTrainer(stage, options)
                    .run(init, tok, pool(), m -> { throw new IllegalStateException("simulated crash at step 5"); }, b, false));
            assertEquals("simulated crash at step 5", crash.getMessage());
            assertEquals(List.of(b.resolve("checkpoints/step-00000003")), new CheckpointStore(b, 2).complete());

            UserError notResumed = assertThrows(UserError.class, () -> new StageTrainer(stage, options)
                    .run(init, tok, pool(), StageTrainerTest::weightScore, b, false));
            assertEquals(b + ": holds checkpoints of an earlier run: add --resume to continue it, or use another --out",
                    notResumed.getMessage());

            // a checkpoint write killed half-way (kill -9 during save) leaves its temporary folder behind
            Path killedWrite = Files.createDirectories(b.resolve("checkpoints/.incomplete-step-4-123/model"));
            Files.writeString(killedWrite.resolve("model.safetensors"), "half a file");
            StageTrainer.Result resumed = new StageTrainer(stage, options).run(init, tok, pool(),
                    StageTrainerTest::weightScore, b, true);
            assertFalse(Files.exists(killedWrite.getParent()), "leftover of a killed checkpoint write removed on resume");
            assertEquals(full.losses().subList(3, 8), resumed.losses());
            assertEquals(full.bestStep(), resumed.bestStep());
            assertArrayEquals(Files.readAllBytes(a.resolve("checkpoints/step-00000008/model/model.safetensors")),
                    Files.readAllBytes(b.resolve("checkpoints/step-00000008/model/model.safetensors")));
            assertArrayEquals(Files.readAllBytes(a.resolve("model/model.safetensors")),
                    Files.readAllBytes(b.resolve("model/model.safetensors")));
            assertEquals(losses(a.resolve("train_log.jsonl")), losses(b.resolve("train_log.jsonl")));
            // the batch record of the resumed run is that of the unbroken one: the interrupted steps are dropped
            assertEquals(Files.readAllLines(a.resolve(BatchRecorder.FILE)), Files.readAllLines(b.resolve(BatchRecorder.FILE)));
            assertRecordMatchesPool(a.resolve(BatchRecorder.FILE), tok, 8, 1, 4);
        }
    }

    /**
     * A LoRA stage (dropout in the adapters too) trains only its adapters, checkpoints them with AdamW's
     * state in PEFT's format, and a resumed run ends with the unbroken run's losses, adapter and merged model.
     */
    @Test
    void loraStageResumesExactly() throws IOException {
        Path f = dir.resolve("lora-stage.json");
        Files.writeString(f, """
                {"name": "lora", "tasks": ["echo", "upper"], "steps": 6, "checkpoint_every": 3, "eval": {"every_steps": 4},
                 "batch": {"size": 4, "max_source_tokens": 16, "max_target_tokens": 12},
                 "optimizer": {"lr": 0.01}, "schedule": {"kind": "constant"},
                 "method": {"kind": "lora", "lora": {"r": 2, "alpha": 4, "dropout": 0.1, "targets": ["q_proj", "v_proj", "fc1"]}}}""");
        StageSpec stage = RunSpec.load(f).stages().get(0);
        StageTrainer.Options options = options(Precision.FP32);
        // a deterministic score of the adapters, so both runs pick the same best step (the one at step 4)
        Validator score = m -> -m.parameters().get("model.encoder.layers.0.fc1.lora_B.weight").abs().sum().getFloat();
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizerFile)) {
            Path a = dir.resolve("lora-unbroken");
            StageTrainer.Result full = new StageTrainer(stage, options).run(init, tok, pool(), score, a, false);
            assertEquals(6, full.losses().size());
            assertEquals(4, full.bestStep());
            // 1 encoder + 1 decoder layer: q, v in 3 attentions (16x16) and 2 fc1 (16 -> 32), r = 2
            assertEquals(6 * 2 * 32 + 2 * 2 * 48, full.trainableParams());
            Path ckpt = a.resolve("checkpoints/step-00000006");
            assertEquals(List.of("adapter", "optimizer.safetensors", "optimizer_steps.json", "trainer_state.json"), list(ckpt));
            assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"), list(ckpt.resolve("adapter")));
            try (SafeTensorsFile opt = SafeTensorsFile.open(ckpt.resolve("optimizer.safetensors"))) {
                assertEquals(2 * 2 * 8, opt.tensors().size()); // exp_avg and exp_avg_sq of the 8 adapters' A and B
                assertTrue(opt.tensors().containsKey("exp_avg/model.encoder.layers.0.fc1.lora_B.weight"));
            }
            assertEquals(a.resolve("adapter"), full.adapterDir());
            // the result is the best (step 4) adapter, not the last
            assertArrayEquals(Files.readAllBytes(a.resolve("best/adapter_model.safetensors")),
                    Files.readAllBytes(a.resolve("adapter/adapter_model.safetensors")));
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(ckpt.resolve("adapter/adapter_model.safetensors")),
                    Files.readAllBytes(a.resolve("adapter/adapter_model.safetensors"))));
            String first = Files.readAllLines(a.resolve("train_log.jsonl")).get(0);
            assertTrue(first.contains("\"method\":\"lora\"") && first.contains("\"trainable_params\":" + full.trainableParams()),
                    first);

            Path b = dir.resolve("lora-broken");
            RuntimeException crash = assertThrows(RuntimeException.class, () -> new StageTrainer(stage, options)
                    .run(init, tok, pool(), m -> { throw new IllegalStateException("crash at step 4"); }, b, false));
            assertEquals("crash at step 4", crash.getMessage());
            StageTrainer.Result resumed = new StageTrainer(stage, options).run(init, tok, pool(), score, b, true);
            assertEquals(full.losses().subList(3, 6), resumed.losses());
            assertEquals(losses(a.resolve("train_log.jsonl")), losses(b.resolve("train_log.jsonl")));
            for (String file : List.of("checkpoints/step-00000006/adapter/adapter_model.safetensors",
                    "checkpoints/step-00000006/optimizer.safetensors", "adapter/adapter_model.safetensors",
                    "adapter/adapter_config.json", "model/model.safetensors")) {
                assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
            }
            // the base never moved: only the adapted projections differ in the merged model
            try (SafeTensorsFile base = SafeTensorsFile.open(init.resolve("model.safetensors"));
                 SafeTensorsFile merged = SafeTensorsFile.open(a.resolve("model/model.safetensors"))) {
                for (String n : base.tensors().keySet()) {
                    boolean adapted = n.matches(".*(q_proj|v_proj|fc1)\\.weight");
                    assertEquals(!adapted, base.readFloat32(n).equals(merged.readFloat32(n)), n);
                }
            }
        }
    }

    private static List<String> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every micro-batch of every step, in order, with the pool's texts and the ids the tokenizer gives them. */
    private static void assertRecordMatchesPool(Path record, Seq2SeqTokenizer tok, int steps, int accumulation, int size)
            throws IOException {
        Map<String, Seq2SeqExample> byId = new TreeMap<>();
        pool().values().forEach(xs -> xs.forEach(x -> byId.put(x.id(), x)));
        List<String> lines = Files.readAllLines(record);
        assertEquals(steps * accumulation, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = Json.COMPACT.fromJson(lines.get(i), JsonObject.class);
            assertEquals(i / accumulation + 1, o.get("global_step").getAsLong());
            assertEquals(i % accumulation, o.get("micro_batch").getAsInt());
            assertEquals(size, o.getAsJsonArray("examples").size());
            for (var e : o.getAsJsonArray("examples")) {
                JsonObject row = e.getAsJsonObject();
                Seq2SeqExample x = byId.get(row.get("id").getAsString());
                assertEquals(x.source(), row.get("source").getAsString());
                assertEquals(x.target(), row.get("target").getAsString());
                assertArrayEquals(tok.encodeKept(List.of(x.source()), 16).ids().get(0), ids(row, "source_ids"));
                assertArrayEquals(tok.encodeKept(List.of(x.target()), 12).ids().get(0), ids(row, "label_ids"));
            }
        }
    }

    private static long[] ids(JsonObject row, String field) {
        return row.getAsJsonArray(field).asList().stream().mapToLong(j -> j.getAsLong()).toArray();
    }

    /**
     * Gradient accumulation is one batch cut in pieces: the loss of a step is the mean over all its label
     * tokens (HF Trainer's num_items_in_batch), so two micro-batches of 2 with unequal token counts give
     * the loss, gradient and update of one batch of 4. (Averaging each micro-batch over its own tokens
     * and then over the micro-batches weighs the tokens of the shorter one more.)
     */
    @Test
    void accumulatedMicroBatchesTrainLikeOneBatch() throws IOException {
        JsonObject c = tinyConfig(0.0);
        Path noDropout = dir.resolve("init-no-dropout");
        ModelConfig config = ModelFamilies.config(c, Path.of("<config>"));
        try (Seq2SeqLm m = ModelFamilies.of(config).random(config, Device.cpu(), 7)) {
            Checkpoint.save(m, noDropout, tokenizerFile);
        }
        // one task of 4 examples: the first 4 draws are all of them, the next 4 all of them again
        String[] targets = {"ok", "book a table for two at seven tonight please", "yes", "play some jazz by miles davis"};
        List<Seq2SeqExample> xs = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            xs.add(new Seq2SeqExample("t", "train", "t" + i, null, "say: " + targets[i], targets[i], List.of()));
        }
        StageTrainer.Options opts = new StageTrainer.Options(1, 1, 1, Device.cpu(), Precision.FP32, false);
        List<List<Double>> losses = new ArrayList<>();
        List<Path> weights = new ArrayList<>();
        for (String batch : List.of("{\"size\": 4}", "{\"size\": 2, \"accumulation\": 2}")) {
            Path f = dir.resolve("accumulation.json");
            Files.writeString(f, "{\"name\": \"acc\", \"tasks\": [\"t\"], \"steps\": 3, \"instructions\": \"off\", "
                    + "\"optimizer\": {\"lr\": 0.01}, \"schedule\": {\"kind\": \"constant\"}, \"batch\": " + batch + "}");
            Path out = dir.resolve("acc-" + losses.size());
            try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizerFile)) {
                StageTrainer.Result r = new StageTrainer(RunSpec.load(f).stages().get(0), opts).run(noDropout, tok,
                        Map.of("t", xs), null, out, false);
                losses.add(r.losses());
            }
            weights.add(out.resolve("model/model.safetensors"));
        }
        for (int s = 0; s < 3; s++) {
            assertEquals(losses.get(0).get(s), losses.get(1).get(s), 2e-6 * losses.get(0).get(s), "step " + (s + 1) + ": " + losses);
        }
        try (SafeTensorsFile one = SafeTensorsFile.open(weights.get(0)); SafeTensorsFile two = SafeTensorsFile.open(weights.get(1))) {
            for (String name : one.tensors().keySet()) {
                FloatBuffer a = one.readFloat32(name).asFloatBuffer();
                FloatBuffer b = two.readFloat32(name).asFloatBuffer();
                float diff = 0;
                for (int i = 0; i < a.limit(); i++) diff = Math.max(diff, Math.abs(a.get(i) - b.get(i)));
                assertTrue(diff < 1e-5, name + " differs by " + diff);
            }
        }
    }

    /** The log without its timing fields (tokens/s and memory differ between runs). */
    private static List<String> losses(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonObject o = Json.COMPACT.fromJson(line, JsonObject.class);
            o.remove("tokens_per_s");
            o.remove("rss_mb");
            o.remove("step_ms");
            out.add(o.toString());
        }
        return out;
    }

    @Test
    void epochsBecomeSteps() throws IOException {
        Path f = dir.resolve("epochs.json");
        Files.writeString(f, "{\"name\": \"e\", \"tasks\": [\"x\"], \"epochs\": 2.5, \"batch\": {\"size\": 4, \"accumulation\": 2}}");
        assertEquals(32, new StageTrainer(RunSpec.load(f).stages().get(0), options(Precision.FP32)).totalSteps(100)); // ceil(250 / 8)
        // 3 examples, batch 4: every batch is the whole pool of 3, so 2.5 epochs are ceil(7.5 / 6) steps
        assertEquals(2, new StageTrainer(RunSpec.load(f).stages().get(0), options(Precision.FP32)).totalSteps(3));
    }
}
