package org.dialtune.model.nn;

import org.dialtune.model.Precision;

/** The model-wide {@link Precision} its linear layers read at every call (one per model, set by its owner). */
public final class MatmulPrecision {
    private volatile Precision value = Precision.FP32;

    public Precision get() {
        return value;
    }

    public void set(Precision p) {
        value = p;
    }
}
