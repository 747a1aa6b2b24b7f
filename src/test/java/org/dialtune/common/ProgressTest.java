package org.dialtune.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainModePrintsThrottledLinesAndAlwaysTheLast() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = Progress.plain("train", 4, new PrintStream(buf, true, StandardCharsets.UTF_8), Duration.ofHours(1))) {
            p.stepTo(1, "loss 2.5");
            p.stepTo(2, "loss 2.0");
            p.stepTo(4, "loss 1.0");
        }
        // throttled to one line an hour, so only the final step prints
        assertEquals("train: 4/4 (100%) loss 1.0\n", buf.toString(StandardCharsets.UTF_8));
    }
}
