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
 * @param flops training FLOPs spent to produce the evaluated model, summed over all its stages (multi-task
 *     and few-shot; forward + backward, see eval/README.md "FLOP accounting"); 0 for an untrained model,
 *     NaN when unknown (rows written before FLOPs were counted)
 * @param trainableParams elements that trained in the last stage that produced the model (its method: all,
 *     frozen blocks, biases, LoRA); 0 for an untrained model, -1 when unknown
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
        String taskRole,
        double flops,
        long trainableParams) {

    public static final String HELD_OUT = "held-out";
    public static final String SEEN = "seen";

    /** Column names, in CSV order. */
    public static final List<String> COLUMNS = List.of("cell", "model", "stages", "split", "shots", "seed",
            "instructions", "task", "instruction_id", "metric", "value", "examples", "wall_s", "commit", "task_role",
            "flops", "trainable_params");

    /** The columns of files written before {@code flops} and {@code trainable_params} existed: both unknown. */
    public static final List<String> COLUMNS_WITHOUT_COMPUTE = COLUMNS.subList(0, COLUMNS.size() - 2);

    /** The columns of files written before {@code task_role} existed: all their rows are held-out tasks. */
    public static final List<String> COLUMNS_WITHOUT_ROLE = COLUMNS.subList(0, COLUMNS.size() - 3);

    /** Every header a readable results.csv may have, newest first. */
    public static final List<List<String>> READABLE_HEADERS = List.of(COLUMNS, COLUMNS_WITHOUT_COMPUTE, COLUMNS_WITHOUT_ROLE);

    public ResultRow {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("result value for " + task + "/" + metric + " is " + value);
        }
        if (!taskRole.equals(HELD_OUT) && !taskRole.equals(SEEN)) {
            throw new IllegalArgumentException("task_role is \"" + taskRole + "\"; use " + HELD_OUT + " or " + SEEN);
        }
        if (flops < 0 || Double.isInfinite(flops)) throw new IllegalArgumentException("flops is " + flops);
        if (trainableParams < -1) throw new IllegalArgumentException("trainable_params is " + trainableParams);
    }

    /** A row without compute figures (FLOPs and trainable parameters unknown). */
    public ResultRow(String cell, String model, String stages, String split, int shots, long seed, String instructions,
                     String task, String instructionId, String metric, double value, int examples, double wallSeconds,
                     String commit, String taskRole) {
        this(cell, model, stages, split, shots, seed, instructions, task, instructionId, metric, value, examples,
                wallSeconds, commit, taskRole, Double.NaN, -1);
    }

    /** Whether the row knows the FLOPs spent on its model (rows of older files do not). */
    public boolean hasFlops() {
        return !Double.isNaN(flops);
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
                String.format(java.util.Locale.ROOT, "%.3f", wallSeconds), commit, taskRole,
                hasFlops() ? Double.toString(flops) : "", trainableParams < 0 ? "" : Long.toString(trainableParams));
    }

    static ResultRow of(java.util.Map<String, String> r) {
        return new ResultRow(r.get("cell"), r.get("model"), r.get("stages"), r.get("split"),
                Integer.parseInt(r.get("shots")), Long.parseLong(r.get("seed")), r.get("instructions"), r.get("task"),
                r.get("instruction_id"), r.get("metric"), Double.parseDouble(r.get("value")),
                Integer.parseInt(r.get("examples")), Double.parseDouble(r.get("wall_s")), r.get("commit"),
                r.getOrDefault("task_role", HELD_OUT), number(r.get("flops"), Double.NaN),
                (long) number(r.get("trainable_params"), -1));
    }

    /** An optional numeric column: absent (older file) or empty means unknown. */
    private static double number(String text, double unknown) {
        return text == null || text.isEmpty() ? unknown : Double.parseDouble(text);
    }
}
