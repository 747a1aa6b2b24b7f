package org.dialtune.eval.report;

import org.dialtune.eval.results.ResultRow;

/** Compact construction of synthetic result rows for report tests. */
final class Rows {
    private Rows() {}

    /** Intervals equal up to rounding (a mean of 0.3 − 0.2 and friends is not exactly 0.1). */
    static void assertClose(org.dialtune.eval.stats.Interval expected, org.dialtune.eval.stats.Interval actual) {
        org.junit.jupiter.api.Assertions.assertNotNull(actual);
        org.junit.jupiter.api.Assertions.assertEquals(expected.low(), actual.low(), 1e-9, "low");
        org.junit.jupiter.api.Assertions.assertEquals(expected.high(), actual.high(), 1e-9, "high");
        org.junit.jupiter.api.Assertions.assertEquals(expected.level(), actual.level(), 0, "level");
        org.junit.jupiter.api.Assertions.assertEquals(expected.n(), actual.n(), "n");
    }

    static ResultRow row(String stages, int shots, String instr, long seed, String task, double value) {
        return row("bart-base", "split1", stages, shots, instr, seed, task, instr.equals("on") ? "sampled" : "none", value, "c0ffee");
    }

    static ResultRow row(String model, String split, String stages, int shots, String instr, long seed, String task,
                         String instructionId, double value, String commit) {
        String cell = String.join("|", model, split, stages, Integer.toString(shots), instr, Long.toString(seed));
        return new ResultRow(cell, model, stages, split, shots, seed, instr, task, instructionId,
                task.startsWith("gen") ? "rouge_l" : "accuracy", value, 50, 1.0, commit);
    }
}
