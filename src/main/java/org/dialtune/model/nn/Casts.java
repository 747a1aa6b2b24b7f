package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * A dtype conversion that autograd sees through. DJL's {@code toType} runs under libtorch's
 * NoGradGuard, so a value cast with it has no gradient path back (backward fails with "does not
 * require grad"). Assigning into a fresh tensor of the target type is libtorch's differentiable
 * {@code copy_}: the gradient comes back converted to the source's type.
 */
public final class Casts {
    private static final NDIndex ALL = new NDIndex("...");

    private Casts() {}

    /** {@code x} as {@code type}, made in {@code manager} (never the weights' manager, so nothing piles up there). */
    public static NDArray to(NDArray x, DataType type, NDManager manager) {
        if (x.getDataType() == type) return x;
        NDArray out = manager.zeros(x.getShape(), type, x.getDevice());
        out.set(ALL, x);
        return out;
    }
}
