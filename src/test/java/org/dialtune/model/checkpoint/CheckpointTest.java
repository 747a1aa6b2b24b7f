package org.dialtune.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static Path tiny;

    @TempDir
    Path tmp;

    @BeforeAll
    static void locate() {
        tiny = SharedData.require("models/tiny-bart");
    }

    /** The tensors of tiny-bart as raw little-endian float32 bytes, by name. */
    private static Map<String, byte[]> rawTensors() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(tiny.resolve("model.safetensors"))) {
            for (String n : f.tensors().keySet()) {
                ByteBuffer b = f.readFloat32(n);
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.put(n, a);
            }
        }
        return out;
    }

    private static Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(tiny.resolve("model.safetensors"))) {
            f.tensors().forEach((n, i) -> out.put(n, i.shape()));
        }
        return out;
    }

    private Path checkpointWith(Map<String, byte[]> data, Map<String, long[]> shapes) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "ckpt");
        Files.copy(tiny.resolve("config.json"), dir.resolve("config.json"));
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        data.forEach((n, b) -> entries.put(n, new SafeTensorsWriter.Entry(shapes.get(n),
                () -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN))));
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), entries);
        return dir;
    }

    /**
     * Saving writes generation_config.json as transformers 5.18's save_pretrained does: the checkpoint's
     * own file is kept; without one, config.json's generation keys and the special ids go into it
     * ({@code from_model_config}; the expected file is what transformers wrote for the same checkpoint,
     * less its version and use_cache keys); a config without generation keys gets none. Either way the
     * saved checkpoint generates with the settings the original had.
     */
    @Test
    void saveWritesGenerationConfigAsTransformersDoes() throws IOException {
        Path gen = tiny.resolve(GenerationConfig.FILE);
        try (Seq2SeqLm model = Checkpoint.load(tiny)) {
            Checkpoint.save(model, tmp.resolve("own"), null);
        }
        assertEquals(Json.parseFile(gen), Json.parseFile(tmp.resolve("own").resolve(GenerationConfig.FILE)));

        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Files.copy(tiny.resolve("config.json"), bare.resolve("config.json"));
        Files.copy(tiny.resolve("model.safetensors"), bare.resolve("model.safetensors"));
        try (Seq2SeqLm model = Checkpoint.load(bare)) {
            Checkpoint.save(model, tmp.resolve("derived"), null);
        }
        assertEquals(Json.parseFile(tiny.resolve("config.json")), Json.parseFile(tmp.resolve("derived/config.json")));
        assertEquals(JsonParser.parseString("{\"_from_model_config\": true, \"bos_token_id\": 0, \"decoder_start_token_id\": 2,"
                + " \"early_stopping\": true, \"eos_token_id\": 2, \"forced_bos_token_id\": 0, \"forced_eos_token_id\": 2,"
                + " \"no_repeat_ngram_size\": 0, \"num_beams\": 4, \"pad_token_id\": 1}"),
                Json.parseFile(tmp.resolve("derived").resolve(GenerationConfig.FILE)));
        ModelConfig bareConfig = ModelFamilies.readConfig(bare);
        assertEquals(GenerationConfig.forModel(bareConfig, bare),
                GenerationConfig.forModel(ModelFamilies.readConfig(tmp.resolve("derived")), tmp.resolve("derived")));

        JsonObject plain = Json.parseFile(tiny.resolve("config.json")).getAsJsonObject();
        for (String k : List.of("num_beams", "early_stopping", "forced_bos_token_id", "forced_eos_token_id",
                "no_repeat_ngram_size")) {
            plain.remove(k);
        }
        Files.writeString(bare.resolve("config.json"), Json.PRETTY.toJson(plain));
        try (Seq2SeqLm model = Checkpoint.load(bare)) {
            Checkpoint.save(model, tmp.resolve("plain"), null);
        }
        assertFalse(Files.exists(tmp.resolve("plain").resolve(GenerationConfig.FILE)));
    }

    @Test
    void saveWritesTheSameBytesAsHuggingFaceAndReloadsBitIdentically() throws IOException {
        Path out = tmp.resolve("saved");
        Path tokenizer = SharedData.require("models/bart-tokenizer");
        try (Seq2SeqLm model = Checkpoint.load(tiny)) {
            Checkpoint.save(model, out, tokenizer);
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(out.resolve("model.safetensors"))));
            // our writer reproduces the reference file byte for byte (header order, padding, offsets)
            assertArrayEquals(Files.readAllBytes(tiny.resolve("model.safetensors")),
                    Files.readAllBytes(out.resolve("model.safetensors")));
            assertArrayEquals(Files.readAllBytes(tokenizer.resolve("tokenizer.json")),
                    Files.readAllBytes(out.resolve("tokenizer.json")));
            try (Seq2SeqLm again = Checkpoint.load(out)) {
                assertEquals(model.tensors().keySet(), again.tensors().keySet());
                for (Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
                    assertArrayEquals(e.getValue().toByteArray(), again.tensors().get(e.getKey()).toByteArray(),
                            e.getKey());
                }
                assertEquals(model.config().toJson(), again.config().toJson());
            }
            // saving over an existing checkpoint replaces it, leaving no temporary directories behind
            Checkpoint.save(model, out, null);
            assertFalse(Files.exists(out.resolve("tokenizer.json")));
            try (var s = Files.list(tmp)) {
                assertEquals(List.of("saved"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    @Test
    void shardedCheckpointLoadsLikeTheSingleFile() throws IOException {
        Map<String, byte[]> data = rawTensors();
        Map<String, long[]> shapes = shapes();
        Path dir = Files.createTempDirectory(tmp, "sharded");
        Files.copy(tiny.resolve("config.json"), dir.resolve("config.json"));
        StringBuilder map = new StringBuilder();
        Map<String, SafeTensorsWriter.Entry> a = new LinkedHashMap<>();
        Map<String, SafeTensorsWriter.Entry> b = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            boolean first = e.getKey().contains("encoder");
            (first ? a : b).put(e.getKey(), new SafeTensorsWriter.Entry(shapes.get(e.getKey()),
                    () -> ByteBuffer.wrap(e.getValue()).order(ByteOrder.LITTLE_ENDIAN)));
            map.append(map.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        }
        SafeTensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), a);
        SafeTensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), b);
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{\"total_size\":0},\"weight_map\":{" + map + "}}");
        try (Seq2SeqLm single = Checkpoint.load(tiny); Seq2SeqLm sharded = Checkpoint.load(dir)) {
            for (Map.Entry<String, NDArray> e : single.tensors().entrySet()) {
                assertArrayEquals(e.getValue().toByteArray(), sharded.tensors().get(e.getKey()).toByteArray());
            }
        }
    }

    @Test
    void truncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "trunc");
        Files.copy(tiny.resolve("config.json"), dir.resolve("config.json"));
        byte[] all = Files.readAllBytes(tiny.resolve("model.safetensors"));
        Path file = dir.resolve("model.safetensors");
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 1000));
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(file + ": tensor \"model.shared.weight\": data_offsets [405860, 6839780] run past the end "
                + "of the data (6838780 bytes): the file is truncated (re-download or re-save the checkpoint)",
                e.getMessage());
        Files.write(file, java.util.Arrays.copyOf(all, 100));
        e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(file + ": truncated: header needs 9912 bytes but the file has only 92 after the length field "
                + "(re-download or re-save the checkpoint)", e.getMessage());
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, byte[]> data = rawTensors();
        data.remove("model.decoder.layers.1.fc2.bias");
        Path dir = checkpointWith(data, shapes());
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor \"model.decoder.layers.1.fc2.bias\" missing "
                + "(the weights do not match config.json)", e.getMessage());
    }

    @Test
    void wrongShapeIsNamedWithTheExpectedShape() throws IOException {
        Map<String, long[]> shapes = shapes();
        shapes.put("model.encoder.layers.0.fc1.weight", new long[] {32, 64});
        Path dir = checkpointWith(rawTensors(), shapes);
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor \"model.encoder.layers.0.fc1.weight\": shape "
                + "[32, 64] does not match config.json (expected [64, 32])", e.getMessage());
    }

    @Test
    void extraTensorsAreCountedAndTiedAliasesTolerated() throws IOException {
        Map<String, byte[]> data = rawTensors();
        Map<String, long[]> shapes = shapes();
        data.put("lm_head.weight", data.get("model.shared.weight"));
        shapes.put("lm_head.weight", shapes.get("model.shared.weight"));
        data.put("classification_head.dense.bias", new byte[4 * 32]);
        shapes.put("classification_head.dense.bias", new long[] {32});
        Path dir = checkpointWith(data, shapes);
        Checkpoint.Loaded loaded = Checkpoint.load(dir, Device.cpu());
        try (Seq2SeqLm m = loaded.model()) {
            assertEquals(List.of("classification_head.dense.bias"), loaded.unexpectedTensors());
            assertEquals(92, m.tensors().size());
        }
    }

    @Test
    void halfPrecisionTensorsAreWidenedInJava() throws IOException {
        // F16: 1.0 = 0x3c00, -2.5 = 0xc100, smallest subnormal 0x0001 = 2^-24; BF16: 1.0 = 0x3f80, -3.0 = 0xc040
        Path f = tmp.resolve("half.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}",
                new short[] {0x3c00, (short) 0xc100, 0x0001, 0x3f80, (short) 0xc040});
        try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
            ByteBuffer a = st.readFloat32("a");
            assertEquals(1.0f, a.getFloat(0));
            assertEquals(-2.5f, a.getFloat(4));
            assertEquals(0x1p-24f, a.getFloat(8));
            ByteBuffer b = st.readFloat32("b");
            assertEquals(1.0f, b.getFloat(0));
            assertEquals(-3.0f, b.getFloat(4));
        }
    }

    @Test
    void unsupportedDtypeAndBadHeaderAreOneLineErrors() throws IOException {
        Path f = tmp.resolve("ints.safetensors");
        writeRaw(f, "{\"ids\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new short[] {1, 2});
        try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
            UserError e = assertThrows(UserError.class, () -> st.readFloat32("ids"));
            assertEquals(f + ": tensor \"ids\": dtype I16 unsupported (use F32, F16 or BF16)", e.getMessage());
        }
        Path g = tmp.resolve("garbage.safetensors");
        Files.write(g, "this is not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        UserError e = assertThrows(UserError.class, () -> SafeTensorsFile.open(g));
        assertTrue(e.getMessage().startsWith(g + ": bad header: length field is "), e.getMessage());
        Path h = tmp.resolve("offsets.safetensors");
        writeRaw(h, "{\"x\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,4]}}", new short[] {1, 2});
        e = assertThrows(UserError.class, () -> SafeTensorsFile.open(h));
        assertEquals(h + ": tensor \"x\": bad header: data_offsets [0, 4] hold 4 bytes but shape [4] of F16 needs 8",
                e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedOnLoadNamingTheTensor() throws IOException {
        Map<String, byte[]> data = rawTensors();
        ByteBuffer.wrap(data.get("model.encoder.layers.0.fc1.weight")).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(4 * 5, Float.NaN);
        Path dir = checkpointWith(data, shapes());
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor \"model.encoder.layers.0.fc1.weight\": value 5 of 2048"
                + " is NaN (the checkpoint holds non-finite weights, e.g. saved after training diverged: use an earlier"
                + " checkpoint)", e.getMessage());
        // half precision: +infinity (0x7c00) once widened
        Path f = tmp.resolve("inf.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new short[] {0x3c00, 0x7c00});
        try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
            e = assertThrows(UserError.class, () -> st.readFloat32("a"));
            assertTrue(e.getMessage().startsWith(f + ": tensor \"a\": value 1 of 2 is Infinity (the checkpoint"), e.getMessage());
        }
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        Path f = tmp.resolve("overlap.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"empty\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[2,6]}}", new short[] {1, 2, 3});
        UserError e = assertThrows(UserError.class, () -> SafeTensorsFile.open(f));
        assertEquals(f + ": bad header: tensors \"a\" [0, 4] and \"b\" [2, 6] overlap in data_offsets (corrupt file:"
                + " re-download or re-save the checkpoint)", e.getMessage());
        Path g = tmp.resolve("adjacent.safetensors");
        writeRaw(g, "{\"b\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"empty\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]},"
                + "\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new short[] {0x3c00, 0x3c00});
        try (SafeTensorsFile st = SafeTensorsFile.open(g)) {
            assertEquals(1.0f, st.readFloat32("b").getFloat(0));
        }
    }

    private static void writeRaw(Path f, String header, short[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (short s : data) b.putShort(s);
        Files.write(f, b.array());
    }
}
