package org.dialtune.eval.report;

import java.util.Comparator;
import org.dialtune.eval.results.ResultRow;

/**
 * One experimental condition: starting model, training stages, shots and instruction mode, on one split,
 * and the grid's compute variant (method and FLOP budget; "" when the grid has neither factor).
 */
public record Condition(String model, String stages, int shots, String instructions, String split, String variant) {
    public static final Comparator<Condition> ORDER = Comparator.comparing(Condition::split)
            .thenComparing(Condition::model).thenComparing(Condition::stages)
            .thenComparingInt(Condition::shots).thenComparing(Condition::instructions).thenComparing(Condition::variant);

    public static Condition of(ResultRow r) {
        return new Condition(r.model(), StageList.parse(r.stages()).key(), r.shots(), r.instructions(), r.split(),
                r.computeVariant());
    }

    /** A short name for tables and chart axes; the split is shown by the section it appears in. */
    public String label() {
        return model + " · " + stages + " · " + shots + "-shot · instr " + instructions + (variant.isEmpty() ? "" : " · " + variant);
    }
}
