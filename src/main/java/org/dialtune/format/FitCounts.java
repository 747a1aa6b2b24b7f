package org.dialtune.format;

import com.google.gson.JsonObject;
import java.util.Locale;

/** What fitting sources to a token budget took out, summed over examples (reported, never silent). */
public record FitCounts(int maxTokens, long sources, long shortened, long turnsDropped, long groundingShortened,
                        long lastTurnsCut, long overBudget) {
    public static FitCounts none(int maxTokens) {
        return new FitCounts(maxTokens, 0, 0, 0, 0, 0, 0);
    }

    public FitCounts plus(SourceFit f) {
        return new FitCounts(maxTokens, sources + 1, shortened + (f.shortened() ? 1 : 0), turnsDropped + f.turnsDropped(),
                groundingShortened + f.groundingShortened(), lastTurnsCut + (f.lastTurnCut() ? 1 : 0),
                overBudget + (f.overBudget() ? 1 : 0));
    }

    public FitCounts plus(FitCounts o) {
        return new FitCounts(maxTokens, sources + o.sources, shortened + o.shortened, turnsDropped + o.turnsDropped,
                groundingShortened + o.groundingShortened, lastTurnsCut + o.lastTurnsCut, overBudget + o.overBudget);
    }

    /** E.g. {@code fitted to 512 tokens: 617 of 1810 sources shortened (2210 turns dropped, ...), 0 over budget}. */
    public String describe() {
        if (shortened == 0 && overBudget == 0) return "all " + sources + " sources within " + maxTokens + " tokens";
        return String.format(Locale.ROOT, "fitted to %d tokens: %d of %d sources shortened (%d turns dropped, %d grounding"
                        + " texts shortened, %d last turns cut from the start), %d over budget", maxTokens, shortened, sources,
                turnsDropped, groundingShortened, lastTurnsCut, overBudget);
    }

    /** For stage.json and evaluation.json. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("max_tokens", maxTokens);
        o.addProperty("sources", sources);
        o.addProperty("shortened", shortened);
        o.addProperty("turns_dropped", turnsDropped);
        o.addProperty("grounding_shortened", groundingShortened);
        o.addProperty("last_turns_cut", lastTurnsCut);
        o.addProperty("over_budget", overBudget);
        return o;
    }
}
