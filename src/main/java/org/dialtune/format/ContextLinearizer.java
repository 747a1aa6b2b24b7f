package org.dialtune.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dialtune.task.Turn;

/**
 * Writes dialogue turns as {@code A: hi [EOT] B: hello}, keeping the latest turns when the budget is
 * exceeded: whole turns are dropped from the start; if even the last turn alone is too long, its
 * beginning is cut and marked with "...".
 */
public final class ContextLinearizer {
    public static final String TURN_SEPARATOR = " [EOT] ";

    /** The kept turns (rendered) and whether anything was cut. */
    public record Result(List<String> turns, boolean truncated, int turnsDropped) {
        public Result {
            turns = List.copyOf(turns);
        }

        /** The turns as one text, separated by {@link #TURN_SEPARATOR}. */
        public String text() {
            return String.join(TURN_SEPARATOR, turns);
        }
    }

    private final TextBudget budget;

    public ContextLinearizer(FormatterConfig config) {
        this.budget = config.context();
    }

    public static String render(Turn t) {
        String text = Formatter.clean(t.text());
        return t.speaker() == null ? text : Formatter.clean(t.speaker()) + ": " + text;
    }

    public Result linearize(List<Turn> turns) {
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            String t = render(turns.get(i));
            int cost = budget.size(t) + (kept.isEmpty() ? 0 : budget.size(TURN_SEPARATOR));
            if (used + cost > budget.max()) {
                int dropped = i + 1;
                if (kept.isEmpty()) { // even the latest turn alone is too long: keep its end
                    kept.add(budget.keepEnd(t));
                    dropped = i;
                }
                Collections.reverse(kept);
                return new Result(kept, true, dropped);
            }
            kept.add(t);
            used += cost;
        }
        Collections.reverse(kept);
        return new Result(kept, false, 0);
    }
}
