package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Config switches: architectures we do not compute are refused; LayerDrop acts only in training. */
class BartVariantsTest {
    private static JsonObject tinyConfig() {
        return Json.parseFile(SharedData.require("models/tiny-bart/config.json")).getAsJsonObject();
    }

    @Test
    void preLayerNormVariantIsRefused() {
        JsonObject json = tinyConfig();
        json.addProperty("normalize_before", true);
        UserError e = assertThrows(UserError.class,
                () -> BartInitializer.random(BartConfig.fromJson(json), Device.cpu(), 0).close());
        assertEquals("config.json: field \"normalize_before\" is true, which is not BART's architecture (only "
                + "BartForConditionalGeneration is supported; set it to false or use a BART checkpoint)", e.getMessage());
    }

    @Test
    void layerDropSkipsLayersOnlyInTraining() {
        JsonObject json = tinyConfig();
        json.addProperty("encoder_layerdrop", 0.999);
        try (BartModel dropping = BartInitializer.random(BartConfig.fromJson(json), Device.cpu(), 1);
             BartModel plain = BartInitializer.random(BartConfig.fromJson(tinyConfig()), Device.cpu(), 1);
             NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.create(new long[][] {{0, 100, 200, 2}});
            NDArray mask = ids.onesLike();
            Engine.getInstance().setRandomSeed(5);
            NDArray evalStates = dropping.encode(ids, mask, false);
            assertEquals(0f, evalStates.sub(plain.encode(ids, mask, false)).abs().max().getFloat());
            NDArray trainStates = dropping.encode(ids, mask, true); // every layer skipped: embeddings only
            assertFalse(trainStates.sub(evalStates).abs().max().getFloat() == 0f);
        }
    }
}
