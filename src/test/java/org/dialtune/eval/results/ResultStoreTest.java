package org.dialtune.eval.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.dialtune.common.GitInfo;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir Path dir;

    private static ResultRow row(String cell, String task, double v) {
        return new ResultRow(cell, "tiny-bart", "indomain", "split1", 10, 1, "on", task, "i2", "accuracy", v, 100,
                1.5, "abc123");
    }

    @Test
    void roundTripWithQuotingAndFinishedCells() {
        ResultStore store = new ResultStore(dir.resolve("runs/x/results.csv"));
        store.appendCell(List.of(row("c1", "banking77-intent", 0.5), row("c1", "task, with \"comma\"", 0.25)));
        store.appendCell(List.of(row("c2", "meld-emotion", 0.125)));
        List<ResultRow> back = store.read();
        assertEquals(List.of(row("c1", "banking77-intent", 0.5), row("c1", "task, with \"comma\"", 0.25),
                row("c2", "meld-emotion", 0.125)), back);
        assertEquals(Set.of("c1", "c2"), store.finishedCells());
    }

    @Test
    void tornLastLineIsCutAndItsCellRunsAgain() throws IOException {
        ResultStore store = new ResultStore(dir.resolve("results.csv"));
        store.appendCell(List.of(row("c1", "a", 0.5)));
        Files.writeString(store.file(), "c2,tiny-bart,indomain,spl", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Set.of("c1"), store.finishedCells());
        store.appendCell(List.of(row("c2", "a", 0.75)));
        assertEquals(2, store.read().size());
    }

    @Test
    void seenRowsRoundTripAndAFileWithoutTheRoleColumnIsReadAndUpgradedOnAppend() throws IOException {
        Path f = dir.resolve("results.csv");
        // a results.csv written before task_role existed: its rows are held-out tasks
        Files.writeString(f, String.join(",", ResultRow.COLUMNS_WITHOUT_ROLE) + "\n"
                + "c1,tiny-bart,indomain,split1,10,1,on,clinc150-intent,i2,accuracy,0.5,100,1.500,abc123\n");
        ResultStore store = new ResultStore(f);
        assertEquals(List.of(row("c1", "clinc150-intent", 0.5)), store.read());
        assertEquals(ResultRow.HELD_OUT, store.read().get(0).taskRole());

        ResultRow seen = new ResultRow("c2", "tiny-bart", "indomain", "split1", 0, 1, "on", "banking77-intent", "sampled",
                "rank_accuracy", 0.4, 30, 2.0, "abc123", ResultRow.SEEN);
        store.appendCell(List.of(seen, row("c2", "clinc150-intent", 0.25)));
        assertTrue(Files.readString(f).startsWith(String.join(",", ResultRow.COLUMNS) + "\n"), Files.readString(f));
        assertEquals(List.of(row("c1", "clinc150-intent", 0.5), seen, row("c2", "clinc150-intent", 0.25)), store.read());
        assertTrue(store.read().get(1).seen());
        assertThrows(IllegalArgumentException.class, () -> new ResultRow("c", "m", "s", "p", 0, 1, "on", "t", "i", "accuracy",
                0.5, 1, 1.0, "x", "trained"));
    }

    @Test
    void computeColumnsRoundTripAndFilesWithoutThemReadAsUnknown() throws IOException {
        Path f = dir.resolve("compute.csv");
        // a results.csv written before flops and trainable_params existed
        Files.writeString(f, String.join(",", ResultRow.COLUMNS_WITHOUT_COMPUTE) + "\n"
                + "c1,tiny-bart,indomain,split1,10,1,on,clinc150-intent,i2,accuracy,0.5,100,1.500,abc123,held-out\n");
        ResultStore store = new ResultStore(f);
        ResultRow old = store.read().get(0);
        assertFalse(old.hasFlops());
        assertEquals(-1, old.trainableParams());
        ResultRow lora = new ResultRow("c2", "tiny-bart", "indomain", "split1", 0, 1, "on", "banking77-intent", "sampled",
                "rank_accuracy", 0.4, 30, 2.0, "abc123", ResultRow.SEEN, 1.25e15, 294912);
        ResultRow untrained = new ResultRow("c3", "tiny-bart", "none", "split1", 0, 1, "on", "banking77-intent", "sampled",
                "rank_accuracy", 0.1, 30, 2.0, "abc123", ResultRow.SEEN, 0, 0);
        store.appendCell(List.of(lora, untrained));
        assertTrue(Files.readString(f).startsWith(String.join(",", ResultRow.COLUMNS) + "\n"), Files.readString(f));
        assertTrue(Files.readString(f).contains(",held-out,,,,\n"), "unknown compute stays empty: " + Files.readString(f));
        assertEquals(List.of(old, lora, untrained), store.read());
        assertEquals(1.25e15, store.read().get(1).flops());
        assertEquals(294912, store.read().get(1).trainableParams());
        assertThrows(IllegalArgumentException.class, () -> new ResultRow("c", "m", "s", "p", 0, 1, "on", "t", "i", "accuracy",
                0.5, 1, 1.0, "x", ResultRow.SEEN, -1, 0));
    }

    @Test
    void nonFiniteValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> row("c", "t", Double.NaN));
    }

    @Test
    void foreignCsvIsAUserError() throws IOException {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, "a,b\n1,2\n");
        UserError e = assertThrows(UserError.class, () -> new ResultStore(f).read());
        assertTrue(e.getMessage().startsWith(f + ": unexpected columns [a, b]"), e.getMessage());
    }

    @Test
    void gitCommitOfANonRepoIsUnknown() {
        assertEquals("unknown", GitInfo.commit(dir));
    }
}
