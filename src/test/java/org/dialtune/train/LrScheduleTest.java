package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    // Expected values computed with transformers' get_*_schedule_with_warmup formulas
    // (LambdaLR multipliers) for warmup 2, total 10, peak 1e-3.
    @Test
    void linearWarmupThenDecayToZero() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.LINEAR, 1e-3, 2, 10);
        double[] expected = {0, 0.5e-3, 1e-3, 0.875e-3, 0.75e-3, 0.625e-3, 0.5e-3, 0.375e-3, 0.25e-3, 0.125e-3, 0, 0};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], s.lrAt(i), 1e-15, "step " + i);
    }

    @Test
    void cosineHalfWayIsHalfPeak() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, 2e-3, 2, 10);
        assertEquals(1e-3, s.lrAt(6), 1e-15);
        assertEquals(2e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.125)), s.lrAt(3), 1e-15);
        assertEquals(0, s.lrAt(10), 1e-15);
    }

    @Test
    void constantAfterWarmupAndNoWarmupStartsAtPeak() {
        assertEquals(1e-3, new LrSchedule(LrSchedule.Kind.CONSTANT, 1e-3, 0, 5).lrAt(0));
        assertEquals(1e-3, new LrSchedule(LrSchedule.Kind.CONSTANT, 1e-3, 4, 5).lrAt(99));
        assertEquals(0.25e-3, new LrSchedule(LrSchedule.Kind.CONSTANT, 1e-3, 4, 5).lrAt(1));
    }

    @Test
    void badSettingsAreUserErrors() {
        assertEquals("learning rate must be > 0, got 0.0",
                assertThrows(UserError.class, () -> new LrSchedule(LrSchedule.Kind.LINEAR, 0, 0, 5)).getMessage());
        assertEquals("stage.json: unknown schedule \"step\" (use constant, linear or cosine)",
                assertThrows(UserError.class, () -> LrSchedule.Kind.parse("step", "stage.json")).getMessage());
    }
}
