package org.dialtune.eval.report;

import java.util.Locale;
import java.util.function.Function;
import org.dialtune.eval.results.ResultRow;

/**
 * One factor of the experiment grid whose effect the report measures: which rows are the control
 * ("without") and which the treatment ("with"), and what must be equal for two rows to be paired.
 *
 * <p>Rows pair when they agree on model, split, seed, task, metric and on the factor's normalised
 * view of the other grid dimensions: stage factors compare stage lists with the factor's stages
 * removed; the instruction factor ignores the instruction mode and wording; the shots factor
 * ignores shots and few-shot stages (a k-shot run adds a few-shot stage to the same pipeline).
 *
 * @param side control, treated, or {@code null} when a row takes no part in this comparison
 * @param key the values that must match between paired rows
 */
public record Factor(String name, String description, String withoutLabel, String withLabel,
                     Function<ResultRow, Side> side, Function<ResultRow, MatchKey> key) {

    public enum Side { WITHOUT, WITH }

    /** What paired rows share. {@code "*"} marks the dimension the factor varies. */
    public record MatchKey(String model, String split, String stages, String shots, String instructions,
                           long seed, String task, String metric, String variant) {}

    static MatchKey keyOf(ResultRow r, String stages, String shots, String instructions) {
        return new MatchKey(r.model(), r.split(), stages, shots, instructions, r.seed(), r.task(), r.metric(),
                r.computeVariant());
    }

    /** With vs without a stage of {@code kind} (general or in-domain multi-task training). */
    public static Factor stage(StageKind kind, String name) {
        String what = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return new Factor(name, "stages with " + (what.startsWith("i") ? "an " : "a ") + what
                        + " stage vs the same stages without it",
                "without " + what, "with " + what,
                r -> StageList.parse(r.stages()).contains(kind) ? Side.WITH : Side.WITHOUT,
                r -> keyOf(r, StageList.parse(r.stages()).without(kind).key(), Integer.toString(r.shots()), r.instructions()));
    }

    /** Instructions on vs off; other instruction modes take no part. */
    public static Factor instructions() {
        return new Factor("Instructions", "instructions on vs off, all else equal", "without instructions", "with instructions",
                r -> switch (r.instructions().toLowerCase(Locale.ROOT)) {
                    case "on" -> Side.WITH;
                    case "off" -> Side.WITHOUT;
                    default -> null;
                },
                r -> keyOf(r, StageList.parse(r.stages()).key(), Integer.toString(r.shots()), "*"));
    }

    /** {@code k} shots vs zero shots. */
    public static Factor shots(int k) {
        return shots(s -> s == k, Integer.toString(k));
    }

    /** Any k > 0 shots vs zero shots: the comparison a run without few-shot rows reports as missing. */
    public static Factor anyShots() {
        return shots(s -> s > 0, "k");
    }

    private static Factor shots(java.util.function.IntPredicate withShots, String k) {
        return new Factor("Shots (" + k + " vs 0)", k + "-shot fine-tuning vs zero-shot, all else equal", "0-shot",
                k + "-shot",
                r -> withShots.test(r.shots()) ? Side.WITH : r.shots() == 0 ? Side.WITHOUT : null,
                r -> keyOf(r, StageList.parse(r.stages()).without(StageKind.FEW_SHOT).key(), "*", r.instructions()));
    }
}
