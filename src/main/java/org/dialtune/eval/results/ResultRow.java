package org.dialtune.eval.results;

import java.util.List;

/**
 * One number of an experiment, with everything needed to trace it: which grid cell (starting model,
 * stages, split, shots, seed, instruction mode), which task and instruction wording, which metric,
 * over how many examples, how long it took, and the code's git commit.
 *
 * @param instructionId the wording's id; {@code "none"} without instructions, {@code "sampled"} when
 *     each example drew its own wording
 * @param taskRole {@code held-out} for a test task of the split (the zero-shot question), {@code seen} for a
 *     task the split trains on that the experiment also evaluates ({@code evaluate_seen}): its in-domain
 *     scores measure learning, not transfer
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
        String commit,
        String taskRole) {

    public static final String HELD_OUT = "held-out";
    public static final String SEEN = "seen";

    /** Column names, in CSV order. */
    public static final List<String> COLUMNS = List.of("cell", "model", "stages", "split", "shots", "seed",
            "instructions", "task", "instruction_id", "metric", "value", "examples", "wall_s", "commit", "task_role");

    /** The columns of files written before {@code task_role} existed: all their rows are held-out tasks. */
    public static final List<String> COLUMNS_WITHOUT_ROLE = COLUMNS.subList(0, COLUMNS.size() - 1);

    public ResultRow {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("result value for " + task + "/" + metric + " is " + value);
        }
        if (!taskRole.equals(HELD_OUT) && !taskRole.equals(SEEN)) {
            throw new IllegalArgumentException("task_role is \"" + taskRole + "\"; use " + HELD_OUT + " or " + SEEN);
        }
    }

    /** A row for a held-out task (every row but those of {@code evaluate_seen}). */
    public ResultRow(String cell, String model, String stages, String split, int shots, long seed, String instructions,
                     String task, String instructionId, String metric, double value, int examples, double wallSeconds,
                     String commit) {
        this(cell, model, stages, split, shots, seed, instructions, task, instructionId, metric, value, examples,
                wallSeconds, commit, HELD_OUT);
    }

    public boolean seen() {
        return taskRole.equals(SEEN);
    }

    List<String> values() {
        return List.of(cell, model, stages, split, Integer.toString(shots), Long.toString(seed), instructions, task,
                instructionId, metric, Double.toString(value), Integer.toString(examples),
                String.format(java.util.Locale.ROOT, "%.3f", wallSeconds), commit, taskRole);
    }

    static ResultRow of(java.util.Map<String, String> r) {
        return new ResultRow(r.get("cell"), r.get("model"), r.get("stages"), r.get("split"),
                Integer.parseInt(r.get("shots")), Long.parseLong(r.get("seed")), r.get("instructions"), r.get("task"),
                r.get("instruction_id"), r.get("metric"), Double.parseDouble(r.get("value")),
                Integer.parseInt(r.get("examples")), Double.parseDouble(r.get("wall_s")), r.get("commit"),
                r.getOrDefault("task_role", HELD_OUT));
    }
}
