package org.dialtune.model.t5;


import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dialtune.common.Json;

/**
 * One of the tiny T5 checkpoints written by transformers 5.18 (src/test/resources/org/dialtune/model/t5,
 * made by src/test/python/make_t5_fixtures.py) and its golden {@code fixtures.json}, with helpers to
 * read and compare them.
 */
final class T5Fixture {
    static final String V1_0 = "t5-v1_0";
    static final String V1_1 = "t5-v1_1";

    final String name;
    final Path dir;
    final JsonObject root;

    private T5Fixture(String name, Path dir) {
        this.name = name;
        this.dir = dir;
        this.root = Json.parseFile(dir.resolve("fixtures.json")).getAsJsonObject();
    }

    static T5Fixture load(String name) {
        try {
            return new T5Fixture(name, Path.of(T5Fixture.class.getResource("/org/dialtune/model/t5/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonArray batches() {
        return root.getAsJsonArray("batches");
    }

    JsonObject batch(String batchName) {
        for (JsonElement b : batches()) {
            if (b.getAsJsonObject().get("name").getAsString().equals(batchName)) return b.getAsJsonObject();
        }
        throw new IllegalArgumentException(batchName);
    }

    JsonObject training() {
        return root.getAsJsonObject("training");
    }

    static NDArray ids(NDManager m, JsonObject batch, String field) {
        JsonArray rows = batch.getAsJsonArray(field);
        long[][] v = new long[rows.size()][];
        for (int i = 0; i < v.length; i++) v[i] = longs(rows.get(i));
        return m.create(v);
    }

    /** The batch's inputs without their padding. */
    static List<long[]> sources(JsonObject batch) {
        List<long[]> out = new ArrayList<>();
        JsonArray ids = batch.getAsJsonArray("input_ids");
        JsonArray mask = batch.getAsJsonArray("attention_mask");
        for (int r = 0; r < ids.size(); r++) {
            long[] row = longs(ids.get(r));
            long[] keep = longs(mask.get(r));
            int n = 0;
            for (long k : keep) n += (int) k;
            out.add(Arrays.copyOf(row, n));
        }
        return out;
    }

    static long[] longs(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }
}
