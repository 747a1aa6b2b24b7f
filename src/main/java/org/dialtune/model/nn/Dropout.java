package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/** Inverted dropout (libtorch's), active only in training and only for a positive rate. */
public final class Dropout {
    private Dropout() {}

    public static NDArray apply(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) return x;
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }
}
