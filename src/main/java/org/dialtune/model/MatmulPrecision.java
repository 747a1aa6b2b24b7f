package org.dialtune.model;

/** The model-wide {@link Precision} its linear layers read at every call (one per model, set by its owner). */
final class MatmulPrecision {
    private volatile Precision value = Precision.FP32;

    Precision get() {
        return value;
    }

    void set(Precision p) {
        value = p;
    }
}
