package org.dialtune.pipeline;

import java.nio.file.Path;

/**
 * One independently runnable piece of an experiment grid: a shared training stage (the multi-task model
 * of one model, condition, split, instruction mode and seed, used by every shot count) or a cell (few-shot
 * fine-tuning when shots &gt; 0, then evaluation). Its id is built from the grid's factor values, never from
 * a position, so it stays the same when the grid gains or loses factor values; {@link #index} is its
 * position in the plan and is what a Slurm array task number means.
 *
 * @param needs the stage unit this cell runs on, or null (a stage, or a cell whose condition trains nothing)
 * @param workDir where the unit trains, relative to the run directory (pretrain/… or cells/…)
 * @param method the grid's {@code methods} factor value its stages train with, "" without the factor (or for
 *     a cell that trains nothing)
 * @param budgetFlops the grid's {@code budgets} factor value set as its stages' {@code budget_flops}, NaN without
 */
public record GridUnit(int index, String id, Kind kind, String needs, String model, String condition, Path splitFile,
                       String split, int shots, long seed, String instructions, String workDir, String method,
                       double budgetFlops) {
    public enum Kind {
        STAGE("stage"), CELL("cell");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Kind of(String label) {
            for (Kind k : values()) if (k.label.equals(label)) return k;
            throw new IllegalArgumentException("unit kind \"" + label + "\"");
        }
    }

    public boolean isStage() {
        return kind == Kind.STAGE;
    }

    /** The unit's directory name under {@code units/} (and the cell's under {@code cells/}). */
    public String fileName() {
        return safe(id);
    }

    /** A factor value or id as a file name: anything but letters, digits, {@code .}, {@code _} and {@code -} becomes {@code _}. */
    public static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Stage ids start with this, then the factors in cell order without the shot count. */
    public static final String STAGE_PREFIX = "pretrain|";

    static String stageId(String model, String condition, String split, long seed, String instructions, String computeTag,
                          String precisionTag) {
        return STAGE_PREFIX + String.join("|", model, condition, split, "s" + seed, "i-" + instructions) + computeTag
                + precisionTag;
    }

    static String cellId(String model, String condition, String split, int shots, long seed, String instructions,
                         String computeTag, String precisionTag) {
        return String.join("|", model, condition, split, "k" + shots, "s" + seed, "i-" + instructions) + computeTag
                + precisionTag;
    }

    /**
     * The id part of a grid's compute factors: {@code |m-<method>} and {@code |b<budget>} (e.g. {@code |b3e12}),
     * each only when the grid has that factor, so grids without them keep their ids.
     */
    static String computeTag(String method, double budgetFlops) {
        return (method.isEmpty() ? "" : "|m-" + method) + (Double.isNaN(budgetFlops) ? "" : "|b" + budget(budgetFlops));
    }

    /** A budget as ids write it: three significant digits, {@code 3e12}, {@code 1.5e13}. */
    static String budget(double flops) {
        String s = new java.math.BigDecimal(flops).round(new java.math.MathContext(3)).stripTrailingZeros().toString();
        return s.toLowerCase(java.util.Locale.ROOT).replace("+", "");
    }

    /** The pre-training directory name, as grids have always named it (so earlier runs resume into it). */
    static String pretrainDir(String model, String condition, String split, long seed, String instructions, String computeTag,
                              String precisionTag) {
        return "pretrain/" + safe(String.join("-", model, condition, split, "i" + instructions, "s" + seed)
                + computeTag.replace('|', '-') + precisionTag.replace('|', '-'));
    }
}
