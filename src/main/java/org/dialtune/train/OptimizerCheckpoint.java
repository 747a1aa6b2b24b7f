package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.model.checkpoint.SafeTensorsFile;
import org.dialtune.model.checkpoint.SafeTensorsWriter;

/**
 * AdamW's moments in a checkpoint: {@code optimizer.safetensors} ({@code exp_avg/<param>},
 * {@code exp_avg_sq/<param>}, float32, bit-exact) and {@code optimizer_steps.json} (step count per
 * parameter), so a resumed run makes exactly the updates the unbroken run would have made.
 */
final class OptimizerCheckpoint {
    static final String TENSORS = "optimizer.safetensors";
    static final String STEPS = "optimizer_steps.json";

    private OptimizerCheckpoint() {}

    static void save(AdamW opt, Path dir) {
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        JsonObject steps = new JsonObject();
        for (Map.Entry<String, AdamW.ParamState> e : opt.state().entrySet()) {
            NDArray m = e.getValue().expAvg();
            NDArray v = e.getValue().expAvgSq();
            entries.put("exp_avg/" + e.getKey(), new SafeTensorsWriter.Entry(m.getShape().getShape(), m::toByteBuffer));
            entries.put("exp_avg_sq/" + e.getKey(), new SafeTensorsWriter.Entry(v.getShape().getShape(), v::toByteBuffer));
            steps.addProperty(e.getKey(), e.getValue().step());
        }
        SafeTensorsWriter.write(dir.resolve(TENSORS), entries);
        AtomicFiles.writeString(dir.resolve(STEPS), Json.PRETTY.toJson(steps) + "\n");
    }

    static void restore(AdamW opt, Path dir) {
        SpecObject steps = SpecObject.ofFile(dir.resolve(STEPS));
        try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve(TENSORS))) {
            for (String name : opt.parameters().keySet()) {
                if (!steps.has(name)) continue; // never updated: no state yet, as in the unbroken run
                long step = steps.optLong(name, 0, 1);
                opt.restore(name, step, floats(f, "exp_avg/" + name), floats(f, "exp_avg_sq/" + name));
            }
            steps.finish();
        }
    }

    private static float[] floats(SafeTensorsFile f, String name) {
        if (!f.tensors().containsKey(name)) {
            throw new UserError(f.path() + ": tensor \"" + name + "\" missing (checkpoint incomplete or from another model)");
        }
        ByteBuffer b = f.readFloat32(name).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
