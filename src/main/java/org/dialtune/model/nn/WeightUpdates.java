package org.dialtune.model.nn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A process-wide count of in-place weight changes, so that what is derived from weights (the LM head's
 * input-major copy, {@link VocabularyHead}) knows when it may be stale. Whoever writes into a model's
 * weights in place — the optimiser's step, an adapter merge — calls {@link #advance()} afterwards.
 * Process-wide rather than per model because the optimiser sees parameters, not the model that owns
 * them; a spurious advance only costs one rebuilt copy.
 */
public final class WeightUpdates {
    private static final AtomicLong epoch = new AtomicLong();

    private WeightUpdates() {}

    /** The current count; equal counts mean no weight was changed in place in between. */
    public static long current() {
        return epoch.get();
    }

    /** Records that some weights were just changed in place. */
    public static void advance() {
        epoch.incrementAndGet();
    }
}
