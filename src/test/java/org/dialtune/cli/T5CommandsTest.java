package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI on T5 checkpoints written by transformers 5.18 (src/test/resources/org/dialtune/model/t5):
 * {@code generate --num-beams 1|4 --max-new-tokens 12} gives transformers' ids, {@code rank} its
 * log-likelihoods (from the fixtures' logits), and {@code model init} writes a T5 that loads back.
 */
class T5CommandsTest {
    @TempDir
    Path dir;

    private static Path checkpoint(String name) {
        try {
            return Path.of(T5CommandsTest.class.getResource("/org/dialtune/model/t5/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject fixtures(String name) {
        return Json.parseFile(checkpoint(name).resolve("fixtures.json")).getAsJsonObject();
    }

    private static JsonObject batch(JsonObject fixtures, String name) {
        for (JsonElement b : fixtures.getAsJsonArray("batches")) {
            if (b.getAsJsonObject().get("name").getAsString().equals(name)) return b.getAsJsonObject();
        }
        throw new IllegalArgumentException(name);
    }

    private static long[] longs(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }

    private static List<JsonObject> readJsonl(Path p) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(p)) if (!line.isBlank()) out.add(Json.parseLine(p, 0, line).getAsJsonObject());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0", "t5-v1_1"})
    void generateGivesTransformersIds(String name) throws IOException {
        JsonObject fx = fixtures(name);
        for (String kind : List.of("greedy", "beam")) {
            for (JsonElement c : fx.getAsJsonObject("generation").getAsJsonArray(kind)) {
                JsonObject gen = c.getAsJsonObject();
                JsonObject kw = gen.getAsJsonObject("kwargs");
                if (kw.has("early_stopping")) continue; // no CLI flag: the checkpoint's own early stopping applies
                JsonObject b = batch(fx, gen.get("batch").getAsString());
                JsonArray texts = b.getAsJsonArray("src_texts");
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < texts.size(); i++) {
                    JsonObject row = new JsonObject();
                    row.addProperty("id", "r" + i);
                    row.addProperty("source", texts.get(i).getAsString());
                    lines.add(row.toString());
                }
                Path in = Files.writeString(dir.resolve(kind + ".jsonl"), String.join("\n", lines) + "\n");
                Path out = dir.resolve(kind + "-" + gen.get("batch").getAsString() + "-out.jsonl");
                CliRunner.Result r = CliRunner.run("generate", "--model", checkpoint(name).toString(), "--input",
                        in.toString(), "--out", out.toString(), "--num-beams", kw.get("num_beams").getAsString(),
                        "--max-new-tokens", kw.get("max_new_tokens").getAsString());
                assertEquals(0, r.exitCode(), r.err());
                List<JsonObject> rows = readJsonl(out);
                JsonArray expected = gen.getAsJsonArray("sequences");
                for (int i = 0; i < rows.size(); i++) {
                    long[] want = longs(expected.get(i));
                    long[] got = Arrays.copyOf(longs(rows.get(i).get("ids")), want.length); // HF pads with 0
                    assertArrayEquals(want, got, name + " " + kind + " " + gen.get("batch") + " row " + i);
                    if (kind.equals("beam")) {
                        assertEquals(gen.getAsJsonArray("sequence_scores").get(i).getAsDouble(),
                                rows.get(i).get("score").getAsDouble(), 1e-5, name + " beam score row " + i);
                    }
                }
            }
        }
    }

    /** The log-likelihood of each target under teacher forcing: Σ (logit at the label − logsumexp). */
    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0", "t5-v1_1"})
    void rankGivesTransformersLogLikelihoods(String name) throws IOException {
        JsonObject b = batch(fixtures(name), "batch_1");
        JsonObject logits = b.getAsJsonObject("expected").getAsJsonObject("logits");
        JsonArray src = b.getAsJsonArray("src_texts");
        JsonArray tgt = b.getAsJsonArray("tgt_texts");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", "r" + i);
            row.addProperty("source", src.get(i).getAsString());
            JsonArray options = new JsonArray();
            options.add(tgt.get(i).getAsString());
            options.add(tgt.get(1 - i).getAsString());
            row.add("options", options);
            lines.add(row.toString());
        }
        Path in = Files.writeString(dir.resolve("options.jsonl"), String.join("\n", lines) + "\n");
        Path out = dir.resolve("ranks.jsonl");
        CliRunner.Result r = CliRunner.run("rank", "--model", checkpoint(name).toString(), "--input", in.toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<JsonObject> rows = readJsonl(out);
        for (int i = 0; i < src.size(); i++) {
            JsonArray atLabel = logits.getAsJsonArray("at_label_ids").get(i).getAsJsonArray();
            JsonArray lse = logits.getAsJsonArray("per_position_logsumexp").get(i).getAsJsonArray();
            double want = 0;
            for (int t = 0; t < atLabel.size(); t++) {
                if (!atLabel.get(t).isJsonNull()) want += atLabel.get(t).getAsDouble() - lse.get(t).getAsDouble();
            }
            double got = rows.get(i).getAsJsonArray("scores").get(0).getAsDouble();
            assertEquals(want, got, 1e-4 * Math.max(1, Math.abs(want)), name + " row " + i);
        }
    }

    @Test
    void modelInitWritesAT5ThatLoadsBackWithOrWithoutATokenizer() throws IOException {
        Path config = checkpoint("t5-v1_1").resolve("config.json");
        CliRunner.Result a = CliRunner.run("model", "init", "--config", config.toString(), "--tokenizer",
                checkpoint("t5-v1_1").toString(), "--seed", "3", "--out", dir.resolve("a").toString());
        assertEquals(0, a.exitCode(), a.err());
        long parameters = fixtures("t5-v1_1").getAsJsonObject("training").get("num_trainable_parameters").getAsLong();
        assertEquals("wrote " + dir.resolve("a") + ": " + parameters + " parameters, vocab 256, seed 3", a.out().strip());
        assertTrue(Files.isRegularFile(dir.resolve("a/tokenizer.json")));
        CliRunner.Result b = CliRunner.run("model", "init", "--config", config.toString(), "--seed", "3", "--out",
                dir.resolve("b").toString());
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().strip().endsWith("(no tokenizer.json: add the model's own)"), b.out());
        assertFalse(Files.exists(dir.resolve("b/tokenizer.json")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")),
                Files.readAllBytes(dir.resolve("b/model.safetensors")), "same seed, same weights");
        try (Seq2SeqLm m = Checkpoint.load(dir.resolve("a"))) {
            assertEquals("t5", m.config().modelType());
            assertTrue(m.tensors().containsKey("lm_head.weight"), "transformers 5's v1.1 config: untied head");
        }
    }
}
