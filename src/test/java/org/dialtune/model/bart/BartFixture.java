package org.dialtune.model.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.dialtune.common.Json;
import org.dialtune.testing.SharedData;

/** The reference outputs in shared/models/&lt;name&gt;/fixtures.json, with helpers to read them. */
final class BartFixture {
    final Path dir;
    final JsonObject root;

    private BartFixture(Path dir) {
        this.dir = dir;
        this.root = Json.parseFile(dir.resolve("fixtures.json")).getAsJsonObject();
    }

    static BartFixture load(String model) {
        return new BartFixture(SharedData.require("models/" + model));
    }

    /** Tolerance for logits: README recommends 1e-5, 3e-5 for the std-0.2 model (|logit| up to 6.3). */
    double logitTol() {
        return dir.getFileName().toString().contains("std0.2") ? 3e-5 : 1e-5;
    }

    JsonArray batches() {
        return root.getAsJsonArray("batches");
    }

    JsonObject batch(int i) {
        return batches().get(i).getAsJsonObject();
    }

    JsonObject training() {
        return root.getAsJsonObject("training");
    }

    static NDArray ids(NDManager m, JsonObject batch, String field) {
        JsonArray rows = batch.getAsJsonArray(field);
        long[][] v = new long[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            JsonArray r = rows.get(i).getAsJsonArray();
            v[i] = new long[r.size()];
            for (int j = 0; j < r.size(); j++) v[i][j] = r.get(j).getAsLong();
        }
        return m.create(v);
    }

    static NDArray create(NDManager m, double[] v, Shape s) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return m.create(f, s);
    }
}
