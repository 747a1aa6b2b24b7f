package org.dialtune.eval.results;

import java.util.List;

/**
 * One number of an experiment, with everything needed to trace it: which grid cell (starting model,
 * stages, split, shots, seed, instruction mode), which task and instruction wording, which metric,
 * over how many examples, how long it took, and the code's git commit.
 *
 * @param instructionId the wording's id; {@code "none"} without instructions, {@code "sampled"} when
 *     each example drew its own wording
 */
public record ResultRow(
        String cell,
        String model,
        String stages,
        String split,
        int shots,
        long seed,
        String instructions,
        String task,
        String instructionId,
        String metric,
        double value,
        int examples,
        double wallSeconds,
        String commit) {

    /** Column names, in CSV order. */
    public static final List<String> COLUMNS = List.of("cell", "model", "stages", "split", "shots", "seed",
            "instructions", "task", "instruction_id", "metric", "value", "examples", "wall_s", "commit");

    public ResultRow {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("result value for " + task + "/" + metric + " is " + value);
        }
    }

    List<String> values() {
        return List.of(cell, model, stages, split, Integer.toString(shots), Long.toString(seed), instructions, task,
                instructionId, metric, Double.toString(value), Integer.toString(examples),
                String.format(java.util.Locale.ROOT, "%.3f", wallSeconds), commit);
    }

    static ResultRow of(java.util.Map<String, String> r) {
        return new ResultRow(r.get("cell"), r.get("model"), r.get("stages"), r.get("split"),
                Integer.parseInt(r.get("shots")), Long.parseLong(r.get("seed")), r.get("instructions"), r.get("task"),
                r.get("instruction_id"), r.get("metric"), Double.parseDouble(r.get("value")),
                Integer.parseInt(r.get("examples")), Double.parseDouble(r.get("wall_s")), r.get("commit"));
    }
}
