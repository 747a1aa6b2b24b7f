package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dialtune.model.bart.BartLayout;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInitAndBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initWritesADeterministicHfInitialisedCheckpoint() throws IOException {
        Path config = SharedData.require("models/tiny-bart/config.json");
        Path tok = SharedData.require("models/bart-tokenizer");
        CliRunner.Result a = CliRunner.run("model", "init", "--config", config.toString(), "--tokenizer", tok.toString(),
                "--seed", "7", "--out", tmp.resolve("a").toString());
        assertEquals(0, a.exitCode(), a.err());
        assertEquals("wrote " + tmp.resolve("a") + ": 1659680 parameters, vocab 50265, seed 7", a.out().strip());
        CliRunner.run("model", "init", "--config", config.getParent().toString(), "--tokenizer", tok.toString(),
                "--seed", "7", "--out", tmp.resolve("b").toString());
        CliRunner.run("model", "init", "--config", config.toString(), "--tokenizer", tok.toString(),
                "--seed", "8", "--out", tmp.resolve("c").toString());
        byte[] wa = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
        assertArrayEquals(wa, Files.readAllBytes(tmp.resolve("b/model.safetensors")), "same seed, same file");
        assertFalse(java.util.Arrays.equals(wa, Files.readAllBytes(tmp.resolve("c/model.safetensors"))));
        assertArrayEquals(Files.readAllBytes(tok.resolve("tokenizer.json")),
                Files.readAllBytes(tmp.resolve("a/tokenizer.json")));
        try (Seq2SeqLm m = Checkpoint.load(tmp.resolve("a"))) {
            for (Map.Entry<String, NDArray> e : m.tensors().entrySet()) {
                float[] v = e.getValue().toFloatArray();
                String n = e.getKey();
                if (BartLayout.isLayerNorm(n)) {
                    float want = n.endsWith("weight") ? 1f : 0f;
                    for (float x : v) assertEquals(want, x, n);
                } else if (BartLayout.isBias(n) || !BartLayout.isParameter(n)) {
                    for (float x : v) assertEquals(0f, x, n);
                } else {
                    double sq = 0;
                    for (float x : v) sq += (double) x * x;
                    double std = Math.sqrt(sq / v.length);
                    assertEquals(0.02, std, n.equals(BartLayout.SHARED) ? 2e-4 : 0.02 * 0.25, n + " std");
                }
            }
            NDArray padRow = m.tensors().get(BartLayout.SHARED).get("1");
            assertEquals(0f, padRow.abs().sum().getFloat());
        }
    }

    @Test
    void initRefusesAVocabularySmallerThanTheTokenizer() throws IOException {
        JsonObject cfg = JsonParser.parseString(Files.readString(SharedData.require("models/tiny-bart/config.json")))
                .getAsJsonObject();
        cfg.addProperty("vocab_size", 1000);
        Path small = tmp.resolve("small.json");
        Files.writeString(small, cfg.toString());
        Path tok = SharedData.require("models/bart-tokenizer");
        CliRunner.Result r = CliRunner.run("model", "init", "--config", small.toString(), "--tokenizer", tok.toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + small + ": field \"vocab_size\" is 1000 but " + tok.resolve("tokenizer.json")
                + " has 50265 tokens (set vocab_size to at least 50265)", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void benchPrintsOneJsonLine() {
        Path config = SharedData.require("models/tiny-bart");
        CliRunner.Result r = CliRunner.run("bench", "--config", config.toString(), "--batch", "2", "--src-len", "16",
                "--tgt-len", "8", "--steps", "2", "--warmup", "1");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length);
        JsonObject o = JsonParser.parseString(lines[0]).getAsJsonObject();
        assertEquals(1659680, o.get("params").getAsLong());
        assertEquals(2, o.getAsJsonArray("step_ms_all").size());
        double stepMs = o.get("step_ms").getAsDouble();
        assertEquals(2 * 8 / (stepMs / 1000), o.get("train_tokens_per_s").getAsDouble(), 0.02 * 2 * 8 / (stepMs / 1000));
        assertTrue(o.get("peak_rss_mb").getAsLong() > 0);
        // each of the 3 timed calls generates exactly tgt_len - 1 = 7 new tokens for each of the 2 rows
        double genMs = 0;
        for (var t : o.getAsJsonArray("gen_ms_all")) genMs += t.getAsDouble();
        assertEquals(3, o.getAsJsonArray("gen_ms_all").size());
        assertEquals(3 * 2 * 7 / (genMs / 1000), o.get("gen_tokens_per_s").getAsDouble(), 0.02 * 3 * 2 * 7 / (genMs / 1000));
        // 4-beam search returns one sequence of exactly 7 new tokens per row too
        assertEquals(4, o.get("beams").getAsInt());
        double beamMs = sum(o.getAsJsonArray("beam_ms_all"));
        assertEquals(3, o.getAsJsonArray("beam_ms_all").size());
        assertEquals(3 * 2 * 7 / (beamMs / 1000), o.get("beam_tokens_per_s").getAsDouble(), 0.02 * 3 * 2 * 7 / (beamMs / 1000));
        // 3 timed calls, each scoring 150 options over one source
        assertEquals(150, o.get("options").getAsInt());
        double scoreMs = sum(o.getAsJsonArray("score_ms_all"));
        assertEquals(3 * 150 / (scoreMs / 1000), o.get("score_options_per_s").getAsDouble(), 0.02 * 3 * 150 / (scoreMs / 1000));
    }

    @Test
    void benchSkipsTheMeasuresTurnedOff() {
        CliRunner.Result r = CliRunner.run("bench", "--config", SharedData.require("models/tiny-bart").toString(),
                "--batch", "2", "--src-len", "16", "--tgt-len", "8", "--steps", "1", "--warmup", "0", "--beams", "0",
                "--options", "0");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        assertTrue(o.has("gen_tokens_per_s"));
        assertFalse(o.has("beam_tokens_per_s"));
        assertFalse(o.has("score_options_per_s"));
        CliRunner.Result bad = CliRunner.run("bench", "--config", SharedData.require("models/tiny-bart").toString(),
                "--beams", "1");
        assertEquals(2, bad.exitCode());
        assertEquals("dialtune: error: bench: --beams must be 0 (not timed) or ≥ 2, --options ≥ 0, --option-max-len ≥ 2",
                bad.err().strip());
    }

    private static double sum(com.google.gson.JsonArray values) {
        double s = 0;
        for (var v : values) s += v.getAsDouble();
        return s;
    }

    @Test
    void benchRejectsAnUnknownDevice() {
        CliRunner.Result r = CliRunner.run("bench", "--config", SharedData.require("models/tiny-bart").toString(),
                "--device", "tpu");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --device: unknown device \"tpu\" (use cpu, gpu or gpu:N)", r.err().strip());
    }
}
