package org.dialtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.time.Duration;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.bart.BartConfig;
import org.dialtune.model.bart.BartLayout;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

class ModelFootprintTest {
    private static JsonObject config(String model) {
        return Json.parseFile(SharedData.require("models/" + model + "/config.json")).getAsJsonObject();
    }

    @Test
    void estimateCountsExactlyTheTensorsTheModelAllocates() {
        for (String model : new String[] {"tiny-bart", "bart-base-config", "bart-large-config"}) {
            BartConfig c = BartConfig.fromJson(config(model));
            long elements = 0;
            for (Shape s : BartLayout.tensors(c).values()) elements += s.size();
            assertEquals(4.0 * elements, ModelFootprint.weightBytes(c.footprint()), model);
        }
    }

    @Test
    void aConfigTooLargeForMemoryIsRefusedNamingTheFieldBeforeAnythingIsAllocated() {
        JsonObject json = config("bart-base-config");
        json.addProperty("encoder_layers", 1_000_000);
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UserError.class, () -> BartConfig.fromJson(json)));
        assertEquals(true, e.getMessage().startsWith("<config>: field \"encoder_layers\" makes the model too large:"
                + " 1000000 encoder layers (d_model 768, encoder_ffn_dim 3072) need 28.4 TB of float32 weights, 28.4 TB"
                + " in all, more than the "), e.getMessage());
        BartConfig base = BartConfig.fromJson(config("bart-base-config"));
        assertNull(ModelFootprint.refusal(base.footprint(), new ModelFootprint.Budget(1e9, "test")));
        json.addProperty("encoder_layers", 6);
        json.addProperty("vocab_size", 2_000_000_000);
        assertEquals(new ModelFootprint.Refusal("vocab_size", "makes the model too large: 2000000000 token embeddings"
                + " of d_model 768 need 6.2 TB of float32 weights, 6.2 TB in all, more than the 1.0 GB of memory here"
                + " (test)"), ModelFootprint.refusal(withoutCheck(json).footprint(), new ModelFootprint.Budget(1e9, "test")));
    }

    /** A config built under a budget that lets it through, to ask about another budget. */
    private static BartConfig withoutCheck(JsonObject json) {
        System.setProperty("dialtune.memory_limit", "1e30");
        try {
            return BartConfig.fromJson(json);
        } finally {
            System.clearProperty("dialtune.memory_limit");
        }
    }

    @Test
    void theMemoryLimitOverrideTakesSizes() {
        assertEquals(64.0 * (1L << 30), ModelFootprint.parseSize("64g"));
        assertEquals(512.0 * (1L << 20), ModelFootprint.parseSize(" 512M "));
        assertEquals(1000.0, ModelFootprint.parseSize("1000"));
        assertEquals("DIALTUNE_MEMORY_LIMIT / dialtune.memory_limit: \"lots\" is not a size (give bytes or e.g. 512m,"
                + " 64g)", assertThrows(UserError.class, () -> ModelFootprint.parseSize("lots")).getMessage());
        JsonObject json = config("tiny-bart");
        System.setProperty("dialtune.memory_limit", "1m");
        try {
            UserError e = assertThrows(UserError.class, () -> BartConfig.fromJson(json));
            assertEquals(true, e.getMessage().endsWith("more than the 1.0 MB of memory here (DIALTUNE_MEMORY_LIMIT)"),
                    e.getMessage());
        } finally {
            System.clearProperty("dialtune.memory_limit");
        }
    }
}
