package org.dialtune.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {
    private int before;

    @BeforeEach
    void twoThreads() {
        Engine.getInstance();
        before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2);
    }

    @AfterEach
    void restore() {
        JniUtils.setNumThreads(before);
    }

    @Test
    void tinyModelsNarrowAndBaseSizedOnesDoNot() {
        assertTrue(IntraOpThreads.tinySteps(8, 32));       // tiny-bart, greedy over 8 sources
        assertTrue(IntraOpThreads.tinySteps(32, 32));      // tiny-bart, 4 beams
        assertTrue(IntraOpThreads.tinySteps(8, 128));
        assertFalse(IntraOpThreads.tinySteps(8, 256));     // break-even width on 8 rows: keep every thread
        assertFalse(IntraOpThreads.tinySteps(8, 768));     // bart-base
        assertFalse(IntraOpThreads.tinySteps(1, 768));
    }

    @Test
    void aNarrowedStretchRunsOnOneThreadAndFullWorkGetsTheCountBack() {
        try (IntraOpThreads.Scope narrow = IntraOpThreads.narrowed(true)) {
            assertEquals(1, JniUtils.getNumThreads());
            assertTrue(IntraOpThreads.isNarrowed());
            assertEquals(2, IntraOpThreads.full(JniUtils::getNumThreads));
            assertEquals(1, JniUtils.getNumThreads(), "back to one thread after the wide operation");
        }
        assertEquals(2, JniUtils.getNumThreads());
        assertFalse(IntraOpThreads.isNarrowed());
        assertEquals(2, IntraOpThreads.full(JniUtils::getNumThreads), "outside a stretch full() changes nothing");
    }

    @Test
    void notNarrowingNestingAndOneThreadChangeNothing() {
        try (IntraOpThreads.Scope wide = IntraOpThreads.narrowed(false)) {
            assertEquals(2, JniUtils.getNumThreads());
        }
        try (IntraOpThreads.Scope outer = IntraOpThreads.narrowed(true)) {
            try (IntraOpThreads.Scope inner = IntraOpThreads.narrowed(true)) {
                assertEquals(1, JniUtils.getNumThreads());
            }
            assertEquals(1, JniUtils.getNumThreads(), "closing an inner scope must not widen the outer stretch");
            assertEquals(2, IntraOpThreads.full(JniUtils::getNumThreads));
        }
        assertEquals(2, JniUtils.getNumThreads());
        JniUtils.setNumThreads(1);
        try (IntraOpThreads.Scope single = IntraOpThreads.narrowed(true)) {
            assertFalse(IntraOpThreads.isNarrowed());
        }
        assertEquals(1, JniUtils.getNumThreads());
    }

    @Test
    void failuresInsideRestoreTheCounts() {
        assertThrows(IllegalStateException.class, () -> {
            try (IntraOpThreads.Scope narrow = IntraOpThreads.narrowed(true)) {
                IntraOpThreads.full(() -> {
                    throw new IllegalStateException("boom");
                });
            }
        });
        assertEquals(2, JniUtils.getNumThreads());
        assertFalse(IntraOpThreads.isNarrowed());
    }
}
