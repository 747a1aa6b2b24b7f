package org.dialtune.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.dialtune.common.SeedMix;
import org.dialtune.common.UserError;

/**
 * Draws the k training and k validation examples of a few-shot run from a task's train split.
 *
 * <p>The pool is shuffled with the seed; each of the two sets then takes, in that order, first one
 * example of every label not yet covered (so a 10-shot intent task sees as many intents as it can,
 * as InstructDial's sampler does), then fills up to k with the next examples. Validation is drawn
 * from what training left, so the two never share an example. Generation tasks pass a
 * {@code labelOf} of {@code null} and get a plain seeded sample.
 */
public final class FewShotSampler {
    private FewShotSampler() {}

    public record Sample<T>(List<T> train, List<T> validation) {}

    /**
     * @param where names the task and split for error messages, e.g. {@code "banking77-intent/train"}
     */
    public static <T> Sample<T> sample(List<T> pool, int k, long seed, Function<T, String> labelOf, String where) {
        if (k < 1) throw new UserError(where + ": shots must be >= 1, got " + k);
        if (pool.size() < 2 * k) {
            throw new UserError(where + ": " + k + "-shot needs " + 2 * k + " examples (k train + k validation) but the split has "
                    + pool.size() + "; use fewer shots or a larger split");
        }
        List<T> remaining = new ArrayList<>(pool);
        Collections.shuffle(remaining, new Random(SeedMix.mix(seed, k, 0x5EED)));
        List<T> train = take(remaining, k, labelOf);
        List<T> validation = take(remaining, k, labelOf);
        return new Sample<>(train, validation);
    }

    /** Removes and returns k examples from {@code remaining}: label coverage first, then in order. */
    private static <T> List<T> take(List<T> remaining, int k, Function<T, String> labelOf) {
        List<T> chosen = new ArrayList<>(k);
        Set<Integer> used = new LinkedHashSet<>();
        if (labelOf != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < remaining.size() && chosen.size() < k; i++) {
                if (seen.add(labelOf.apply(remaining.get(i)))) {
                    chosen.add(remaining.get(i));
                    used.add(i);
                }
            }
        }
        for (int i = 0; i < remaining.size() && chosen.size() < k; i++) {
            if (!used.contains(i)) {
                chosen.add(remaining.get(i));
                used.add(i);
            }
        }
        List<T> left = new ArrayList<>(remaining.size() - used.size());
        for (int i = 0; i < remaining.size(); i++) if (!used.contains(i)) left.add(remaining.get(i));
        remaining.clear();
        remaining.addAll(left);
        return chosen;
    }
}
