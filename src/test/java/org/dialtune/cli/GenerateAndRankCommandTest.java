package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dialtune generate} and {@code dialtune rank} end to end on tiny-bart-std0.2 (texts in, files out). */
class GenerateAndRankCommandTest {
    private static Path model;
    private static Path tokenizer;
    private static JsonObject fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void shared() {
        model = SharedData.require("models/tiny-bart-std0.2");
        tokenizer = SharedData.require("models/bart-tokenizer/tokenizer.json");
        fixtures = Json.parseFile(model.resolve("fixtures.json")).getAsJsonObject();
    }

    private static JsonObject fixtureBatch(String name) {
        for (JsonElement b : fixtures.getAsJsonArray("batches")) {
            if (b.getAsJsonObject().get("name").getAsString().equals(name)) return b.getAsJsonObject();
        }
        throw new IllegalArgumentException(name);
    }

    private static JsonObject fixtureCase(String kind, String batch) {
        for (JsonElement c : fixtures.getAsJsonObject("generation").getAsJsonArray(kind)) {
            if (c.getAsJsonObject().get("batch").getAsString().equals(batch)) return c.getAsJsonObject();
        }
        throw new IllegalArgumentException(kind + " " + batch);
    }

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private Path sourcesOf(String batch) throws IOException {
        List<String> lines = new ArrayList<>();
        JsonArray src = fixtureBatch(batch).getAsJsonArray("src_texts");
        for (int i = 0; i < src.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("id", batch + "-" + i);
            o.add("source", src.get(i));
            lines.add(Json.COMPACT.toJson(o));
        }
        return write(batch + ".jsonl", lines.toArray(String[]::new));
    }

    private static List<JsonObject> readJsonl(Path p) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String l : Files.readAllLines(p)) out.add(Json.parseLine(p, 0, l).getAsJsonObject());
        return out;
    }

    private static long[] longs(JsonElement e) {
        return Json.COMPACT.fromJson(e, long[].class);
    }

    private static long[] padded(long[] ids, int width) {
        long[] out = java.util.Arrays.copyOf(ids, width);
        java.util.Arrays.fill(out, ids.length, width, 1);
        return out;
    }

    @Test
    void generateBeamFromTextsReproducesTheReference() throws IOException {
        Path out = dir.resolve("out/beam.jsonl");
        CliRunner.Result r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(),
                "--input", sourcesOf("batch_1").toString(), "--out", out.toString(), "--num-beams", "4",
                "--max-new-tokens", "19", "--batch-size", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject fx = fixtureCase("beam", "batch_1");
        List<JsonObject> lines = readJsonl(out);
        assertEquals(2, lines.size());
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizer)) {
            for (int i = 0; i < 2; i++) {
                JsonObject o = lines.get(i);
                assertEquals("batch_1-" + i, o.get("id").getAsString());
                long[] expected = longs(fx.getAsJsonArray("sequences").get(i));
                assertArrayEquals(expected, padded(longs(o.get("ids")), expected.length));
                assertEquals(fx.getAsJsonArray("sequence_scores").get(i).getAsDouble(), o.get("score").getAsDouble(), 1e-5);
                assertEquals(tok.decode(expected), o.get("text").getAsString());
                assertEquals("max_length", o.get("stop").getAsString());
            }
        }
        assertTrue(r.err().contains("generate: 2/2 (100%) sources\n"), "progress line: " + r.err());
        assertTrue(r.err().contains("generate: wrote 2 outputs to " + out + "; 2 stopped at the length cap of 19 new"
                + " tokens (\"stop\": \"max_length\"; raise --max-new-tokens)"), r.err());
    }

    @Test
    void generateGreedyWithCheckpointDefaultsSaysWhereTheCapComesFrom() throws IOException {
        Path out = dir.resolve("greedy.jsonl");
        CliRunner.Result r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(),
                "--input", sourcesOf("batch_3").toString(), "--out", out.toString(), "--num-beams", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("generate: at most 20 new tokens (transformers' default of 20 new tokens, max_length 21); set"
                + " --max-new-tokens to change it"), r.err());
        // the fixture was made with max_length 20 (19 new tokens, EOS forced at the last): greedy decoding
        // agrees on every token before that, then goes one token further, as transformers 5's bare generate()
        JsonObject fx = fixtureCase("greedy", "batch_3");
        List<JsonObject> lines = readJsonl(out);
        for (int i = 0; i < 2; i++) {
            long[] expected = longs(fx.getAsJsonArray("sequences").get(i));
            long[] got = longs(lines.get(i).get("ids"));
            assertEquals(21, got.length);
            assertArrayEquals(java.util.Arrays.copyOf(expected, 19), java.util.Arrays.copyOf(got, 19));
            assertEquals(2, got[20], "EOS forced at the cap");
            assertFalse(lines.get(i).has("score"), "greedy has no sequence score");
        }
    }

    @Test
    void generateReportsTruncatedSources() throws IOException {
        Path out = dir.resolve("t.jsonl");
        CliRunner.Result r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(),
                "--input", sourcesOf("batch_3").toString(), "--out", out.toString(), "--max-source-length", "16",
                "--max-new-tokens", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("generate: 2 of 2 sources were longer than 16 tokens and were cut at the end"
                + " (longest: 56 tokens); see --max-source-length"), r.err());
        for (JsonObject o : readJsonl(out)) assertEquals(4, longs(o.get("ids")).length);
    }

    @Test
    void rankScoresEveryOptionAndPicksTheBest() throws IOException {
        Path in = write("rank.jsonl",
                "{\"id\": 1, \"source\": \"Hello world! cécé herlolip\", \"options\": [\"yes\", \"no\", \"maybe so\"]}",
                "",
                "{\"id\": \"b\", \"source\": \"The tower is 324 metres tall.\", \"options\": [\"Paris\"]}");
        Path out = dir.resolve("rank-out.jsonl");
        CliRunner.Result r = CliRunner.run("rank", "--model", model.toString(), "--tokenizer", tokenizer.toString(),
                "--input", in.toString(), "--out", out.toString(), "--batch-size", "2");
        assertEquals(0, r.exitCode(), r.err());
        List<JsonObject> lines = readJsonl(out);
        assertEquals(2, lines.size());
        assertEquals(1, lines.get(0).get("id").getAsInt(), "numeric ids stay numbers");
        assertEquals("b", lines.get(1).get("id").getAsString());
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokenizer)) {
            List<String> options = List.of("yes", "no", "maybe so");
            double[] scores = Json.COMPACT.fromJson(lines.get(0).get("scores"), double[].class);
            double[] normalized = Json.COMPACT.fromJson(lines.get(0).get("normalized"), double[].class);
            int best = 0;
            int bestNorm = 0;
            for (int i = 0; i < 3; i++) {
                int tokens = tok.encode(List.of(options.get(i)), 128).ids().get(0).length;
                assertEquals(scores[i] / tokens, normalized[i], 1e-12);
                assertTrue(scores[i] < 0);
                if (scores[i] > scores[best]) best = i;
                if (normalized[i] > normalized[bestNorm]) bestNorm = i;
            }
            assertEquals(best, lines.get(0).get("best").getAsInt());
            assertEquals(bestNorm, lines.get(0).get("best_normalized").getAsInt());
        }
        assertEquals(0, lines.get(1).get("best").getAsInt());
        assertTrue(r.err().contains("rank: wrote 2 rankings to " + out), r.err());
    }

    private CliRunner.Result rankWith(String... lines) throws IOException {
        return CliRunner.run("rank", "--model", model.toString(), "--tokenizer", tokenizer.toString(),
                "--input", write("bad.jsonl", lines).toString(), "--out", dir.resolve("never.jsonl").toString());
    }

    @Test
    void badInputLinesNameFileLineAndField() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        CliRunner.Result r = rankWith("{\"id\": 1, \"source\": \"a\", \"options\": [\"x\"]}", "{\"id\": 2, \"source\": ");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("dialtune: error: " + in + ":2: not valid JSON: "), r.err());
        r = rankWith("{\"id\": 1, \"options\": [\"x\"]}");
        assertEquals("dialtune: error: " + in + ":1: field \"source\" is missing", r.err().strip());
        r = rankWith("{\"id\": 1, \"source\": \"a\", \"options\": []}");
        assertEquals("dialtune: error: " + in + ":1: field \"options\" is empty: give at least one candidate",
                r.err().strip());
        r = rankWith("{\"id\": 1, \"source\": \"a\", \"options\": [\"x\", 3]}");
        assertEquals("dialtune: error: " + in + ":1: field \"options\" entry 1 must be a string, got 3", r.err().strip());
        r = rankWith("{\"source\": \"a\", \"options\": [\"x\"]}");
        assertEquals("dialtune: error: " + in + ":1: field \"id\" is missing", r.err().strip());
        r = rankWith("[1, 2]");
        assertEquals("dialtune: error: " + in + ":1: expected a JSON object, got [1,2]", r.err().strip());
        assertFalse(Files.exists(dir.resolve("never.jsonl")), "no output on bad input");
    }

    @Test
    void duplicateIdsAreRefusedWithBothLineNumbers() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        CliRunner.Result r = rankWith("{\"id\": 7, \"source\": \"a\", \"options\": [\"x\"]}", "",
                "{\"id\": 8, \"source\": \"b\", \"options\": [\"x\"]}", "{\"id\": \"7\", \"source\": \"c\", \"options\": [\"y\"]}");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + in + ":4: field \"id\": \"7\" is already used on line 1 (ids must be unique)",
                r.err().strip());
        r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(), "--input",
                write("dup.jsonl", "{\"id\": \"a\", \"source\": \"x\"}", "{\"id\": \"a\", \"source\": \"y\"}").toString(),
                "--out", dir.resolve("never.jsonl").toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + dir.resolve("dup.jsonl") + ":2: field \"id\": \"a\" is already used on line 1"
                + " (ids must be unique)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("never.jsonl")), "no output on bad input");
    }

    @Test
    void modelWithoutTokenizerAndGpuWithoutCudaAreOneLineErrors() throws IOException {
        Path in = sourcesOf("batch_2");
        CliRunner.Result r = CliRunner.run("generate", "--model", model.toString(), "--input", in.toString(),
                "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + model + ": no tokenizer.json in the model directory: copy the checkpoint's"
                + " tokenizer.json there or pass --tokenizer FILE", r.err().strip());
        r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(), "--input",
                in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--device", "gpu");
        assertEquals(2, r.exitCode());
        if (!ai.djl.engine.Engine.getInstance().hasCapability(ai.djl.engine.StandardCapabilities.CUDA)) {
            assertEquals("dialtune: error: --device gpu: this dialtune runs a CPU-only libtorch; for a GPU, build with"
                    + " 'mvn -P gpu package' and run with DIALTUNE_ONLINE=1 so DJL downloads a CUDA libtorch, or set"
                    + " PYTORCH_LIBRARY_PATH to a CUDA torch (README, \"GPU\")", r.err().strip());
        }
        r = CliRunner.run("generate", "--model", model.toString(), "--tokenizer", tokenizer.toString(), "--input",
                in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--max-source-length", "500");
        assertEquals("dialtune: error: --max-source-length 500 is more than the model's max_position_embeddings (128)",
                r.err().strip());
        assertFalse(Files.exists(dir.resolve("o.jsonl")));
    }
}
