package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import org.dialtune.common.Json;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives bit-identical training, also while the GC runs constantly. Guards against
 * autograd reading Java memory the GC has freed (see {@code Scalars}): before that fix a busy GC
 * turned this loss into NaN or a different number in every run.
 */
class TrainingDeterminismTest {
    @Test
    void trainingIsDeterministicUnderGcPressure() throws InterruptedException {
        JsonObject json = Json.parseFile(SharedData.require("models/tiny-bart/config.json")).getAsJsonObject();
        json.addProperty("activation_function", "gelu_new"); // more constant-multiplications under autograd
        json.addProperty("scale_embedding", true);
        ModelConfig config = ModelFamilies.config(json, java.nio.file.Path.of("<config>"));
        TrainBenchmark.Settings s = new TrainBenchmark.Settings(2, 16, 8, 20, 0, 3, 0);
        TrainBenchmark.Result quiet = TrainBenchmark.run(config, Device.cpu(), s);
        Thread gc = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        gc.setDaemon(true);
        gc.start();
        TrainBenchmark.Result busy;
        try {
            busy = TrainBenchmark.run(config, Device.cpu(), s);
        } finally {
            gc.interrupt();
            gc.join();
        }
        assertTrue(quiet.lastLoss() < quiet.firstLoss(), quiet.firstLoss() + " -> " + quiet.lastLoss());
        assertEquals(quiet.lastLoss(), busy.lastLoss());
    }
}
