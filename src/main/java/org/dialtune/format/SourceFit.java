package org.dialtune.format;

/**
 * One source after fitting: its text, its tokens (special tokens included; -1 when not counted), and
 * what was taken out to fit. {@code overBudget} sources did not fit even with every optional part
 * removed: they keep the instruction, the last turn and everything after it, and whoever tokenises
 * them cuts their end (and counts it).
 */
public record SourceFit(String source, int tokens, int turnsDropped, int groundingShortened, boolean lastTurnCut,
                        boolean overBudget) {
    static SourceFit unchanged(String source, int tokens) {
        return new SourceFit(source, tokens, 0, 0, false, false);
    }

    /** Whether anything was dropped or cut. */
    public boolean shortened() {
        return turnsDropped > 0 || groundingShortened > 0 || lastTurnCut;
    }
}
