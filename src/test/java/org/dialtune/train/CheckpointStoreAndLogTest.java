package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreAndLogTest {
    @TempDir Path run;

    @Test
    void crashMidWriteLeavesLatestUntouched() {
        CheckpointStore store = new CheckpointStore(run, 2);
        store.save(10, d -> Files.writeString(d.resolve("w"), "ten"));
        assertThrows(RuntimeException.class, () -> store.save(20, d -> {
            Files.writeString(d.resolve("w"), "half");
            throw new IOException("disk full");
        }));
        assertEquals(10, CheckpointStore.stepOf(store.latest().orElseThrow()));
        assertEquals(List.of(run.resolve("checkpoints/step-00000010")), store.complete());
    }

    @Test
    void keepsOnlyTheNewest() throws IOException {
        CheckpointStore store = new CheckpointStore(run, 2);
        for (long s : new long[] {5, 10, 15}) store.save(s, d -> Files.writeString(d.resolve("w"), "" + s));
        assertEquals(2, store.complete().size());
        assertEquals("15", Files.readString(store.latest().orElseThrow().resolve("w")));
    }

    private static JsonObject rec(long step) {
        JsonObject o = new JsonObject();
        o.addProperty("global_step", step);
        o.addProperty("loss", 1.0 / step);
        return o;
    }

    @Test
    void resumedLogEqualsUnbrokenLog() throws IOException {
        Path unbroken = run.resolve("a.jsonl");
        try (TrainLog log = TrainLog.create(unbroken)) {
            for (int s = 1; s <= 6; s++) log.write(rec(s));
        }
        Path broken = run.resolve("b.jsonl");
        try (TrainLog log = TrainLog.create(broken)) {
            for (int s = 1; s <= 5; s++) log.write(rec(s)); // crashed after step 5, checkpoint at 3
        }
        Files.writeString(broken, "{\"global_step\": 6, \"lo", java.nio.file.StandardOpenOption.APPEND); // torn line
        try (TrainLog log = TrainLog.resume(broken, 3)) {
            for (int s = 4; s <= 6; s++) log.write(rec(s));
        }
        assertEquals(Files.readString(unbroken), Files.readString(broken));
        assertTrue(Files.readString(broken).endsWith("\n"));
    }
}
