package org.dialtune.model;

import ai.djl.ndarray.NDArray;

/** Inverted dropout (libtorch's), active only in training and only for a positive rate. */
final class Dropout {
    private Dropout() {}

    static NDArray apply(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) return x;
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }
}
