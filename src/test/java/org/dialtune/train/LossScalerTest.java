package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossScalerTest {
    @TempDir Path dir;

    @Test
    void goodStepsGrowTheScaleAndAnOverflowHalvesIt() {
        LossScaler s = new LossScaler(1024, 3);
        assertTrue(s.update(2111.0));
        assertTrue(s.update(1.0));
        assertEquals(1024, s.scale());
        assertTrue(s.update(1.0)); // third good step in a row: the scale doubles
        assertEquals(2048, s.scale());
        assertFalse(s.update(Double.POSITIVE_INFINITY));
        assertEquals(1024, s.scale());
        assertFalse(s.update(Double.NaN));
        assertEquals(512, s.scale());
        assertTrue(s.update(1.0));
        assertTrue(s.update(1.0));
        assertEquals(512, s.scale(), "an overflow restarts the count of good steps");
    }

    @Test
    void stateRoundTripsThroughACheckpoint() {
        LossScaler s = new LossScaler(4096, 3);
        s.update(Double.NaN);
        s.update(1.0);
        s.save(dir);
        LossScaler r = new LossScaler(1, 3);
        r.restore(dir);
        assertEquals(2048, r.scale());
        r.update(1.0);
        r.update(1.0); // the saved good step counts: this is the third
        assertEquals(4096, r.scale());
    }

    @Test
    void resumingAnFp32CheckpointInFp16IsRefused() {
        UserError e = assertThrows(UserError.class, () -> new LossScaler().restore(dir));
        assertEquals(dir.resolve("loss_scaler.json") + ": missing: this checkpoint was not written by an fp16 run;"
                + " resume with the precision it was trained in", e.getMessage());
    }

    @Test
    void aCorruptScalerFileIsAUserError() throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("loss_scaler.json"), "{\"scale\": -1}");
        UserError e = assertThrows(UserError.class, () -> new LossScaler().restore(dir));
        assertEquals(dir.resolve("loss_scaler.json") + ": fields \"scale\" (> 0) and \"good_steps\" (>= 0) are missing"
                + " or invalid; delete this checkpoint directory to resume from an earlier one", e.getMessage());
    }
}
