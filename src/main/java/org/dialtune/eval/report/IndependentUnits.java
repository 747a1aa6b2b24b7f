package org.dialtune.eval.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.eval.results.ResultRow;

/**
 * Which rows of a run are correlated beyond their pair, so that reports test across independent units
 * instead of across rows. {@code experiment run} draws with a seed, and draws again with the same seed
 * for every model, condition and instruction mode (on purpose: pairs then differ only in the factor):
 * <ul>
 *   <li>the multi-task stages' data order, per (stages, split, seed); the multi-task model trained on
 *       it is shared by every shot count and every held-out task of the split;</li>
 *   <li>the few-shot sample, per (task, k, seed): the same k examples for every model, condition and
 *       instruction mode.</li>
 * </ul>
 * Two pairs that depend on a common draw, directly or through other pairs, belong to one unit. A row
 * with neither draw (the starting model, untrained and zero-shot) does not depend on the seed at all:
 * evaluation uses a fixed subset, so its seed copies are the same number ({@link FactorGains} places
 * pairs of two such rows so that the copies never pass for independent seeds).
 */
public final class IndependentUnits {
    private IndependentUnits() {}

    /** The seeded draws a row's score depends on (empty for an untrained, zero-shot row). */
    public static Set<String> drawsOf(ResultRow r) {
        Set<String> draws = new LinkedHashSet<>();
        StageList multiTask = StageList.parse(r.stages()).without(StageKind.FEW_SHOT);
        if (!multiTask.names().isEmpty()) {
            draws.add("multi-task " + multiTask.key() + " on " + r.split() + ", seed " + r.seed());
        }
        if (r.shots() > 0) draws.add("few-shot sample " + r.task() + " k=" + r.shots() + ", seed " + r.seed());
        return draws;
    }

    /**
     * Unit numbers for items given by their draws: items that share a draw, directly or through other
     * items, get the same number. Units are numbered 0, 1, ... in the order of their first item, so the
     * result does not depend on hashing.
     */
    public static int[] assign(List<Set<String>> itemDraws) {
        int[] parent = new int[itemDraws.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        Map<String, Integer> firstItem = new HashMap<>();
        for (int i = 0; i < parent.length; i++) {
            for (String draw : itemDraws.get(i)) {
                Integer j = firstItem.putIfAbsent(draw, i);
                if (j != null) union(parent, i, j);
            }
        }
        int[] unit = new int[parent.length];
        Map<Integer, Integer> numbers = new HashMap<>();
        for (int i = 0; i < parent.length; i++) unit[i] = numbers.computeIfAbsent(root(parent, i), r -> numbers.size());
        return unit;
    }

    /** Items grouped by unit, units in order of their number. */
    public static <T> List<List<T>> group(List<T> items, int[] unit) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            while (out.size() <= unit[i]) out.add(new ArrayList<>());
            out.get(unit[i]).add(items.get(i));
        }
        return out;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = root(parent, a);
        int rb = root(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
