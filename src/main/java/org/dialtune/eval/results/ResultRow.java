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
 * @param method the training method the grid's {@code methods} factor gave the cell's stages (its id, e.g.
 *     {@code lora-r8}); empty when the grid has no such factor (the stage files' own methods)
 * @param budgetFlops the {@code budget_flops} the grid's {@code budgets} factor gave the cell's stages, NaN
 *     when it has none
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
        long trainableParams,
        String method,
        double budgetFlops) {

    public static final String HELD_OUT = "held-out";
    public static final String SEEN = "seen";

    /** Column names, in CSV order. */
    public static final List<String> COLUMNS = List.of("cell", "model", "stages", "split", "shots", "seed",
            "instructions", "task", "instruction_id", "metric", "value", "examples", "wall_s", "commit", "task_role",
            "flops", "trainable_params", "method", "budget_flops");

    /** The columns of files written before the compute columns ({@code flops} ... {@code budget_flops}): unknown, none. */
    public static final List<String> COLUMNS_WITHOUT_COMPUTE = COLUMNS.subList(0, COLUMNS.size() - 4);

    /** The columns of files written before {@code task_role} existed: all their rows are held-out tasks. */
    public static final List<String> COLUMNS_WITHOUT_ROLE = COLUMNS.subList(0, COLUMNS.size() - 5);

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
        if (method == null) throw new IllegalArgumentException("method is null; use \"\" for none");
        if (!(budgetFlops > 0) && !Double.isNaN(budgetFlops)) throw new IllegalArgumentException("budget_flops is " + budgetFlops);
    }

    /** A row with its compute figures and no method factor. */
    public ResultRow(String cell, String model, String stages, String split, int shots, long seed, String instructions,
                     String task, String instructionId, String metric, double value, int examples, double wallSeconds,
                     String commit, String taskRole, double flops, long trainableParams) {
        this(cell, model, stages, split, shots, seed, instructions, task, instructionId, metric, value, examples,
                wallSeconds, commit, taskRole, flops, trainableParams, "", Double.NaN);
    }

    /** The grid's compute variant of the row's cell: method and budget, or "" when the grid has neither factor. */
    public String computeVariant() {
        String budget = Double.isNaN(budgetFlops) ? "" : String.format(java.util.Locale.ROOT, "%.3g FLOPs", budgetFlops);
        return method.isEmpty() || budget.isEmpty() ? method + budget : method + " · " + budget;
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
                hasFlops() ? Double.toString(flops) : "", trainableParams < 0 ? "" : Long.toString(trainableParams), method,
                Double.isNaN(budgetFlops) ? "" : Double.toString(budgetFlops));
    }

    static ResultRow of(java.util.Map<String, String> r) {
        return new ResultRow(r.get("cell"), r.get("model"), r.get("stages"), r.get("split"),
                Integer.parseInt(r.get("shots")), Long.parseLong(r.get("seed")), r.get("instructions"), r.get("task"),
                r.get("instruction_id"), r.get("metric"), Double.parseDouble(r.get("value")),
                Integer.parseInt(r.get("examples")), Double.parseDouble(r.get("wall_s")), r.get("commit"),
                r.getOrDefault("task_role", HELD_OUT), number(r.get("flops"), Double.NaN),
                (long) number(r.get("trainable_params"), -1), r.getOrDefault("method", ""),
                number(r.get("budget_flops"), Double.NaN));
    }

    /** An optional numeric column: absent (older file) or empty means unknown. */
    private static double number(String text, double unknown) {
        return text == null || text.isEmpty() ? unknown : Double.parseDouble(text);
    }
}
