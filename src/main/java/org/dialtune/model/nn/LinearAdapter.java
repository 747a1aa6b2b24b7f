package org.dialtune.model.nn;

/**
 * The slot of a {@link Linear} where a {@link LowRankUpdate} is put (LoRA) or taken off (merge):
 * mutable, because the layers are built once with their projections.
 */
public final class LinearAdapter {
    private volatile LowRankUpdate update;

    public LowRankUpdate get() {
        return update;
    }

    public void set(LowRankUpdate u) {
        update = u;
    }
}
