package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * y = x·Wᵀ + b with HF's [out, in] weight layout ({@link LinearKernel} picks libtorch's kernel), plus
 * the low-rank update its {@link LinearAdapter} slot holds, if any (LoRA): the layers only call
 * {@link #apply}, so an adapter changes every projection it is put on without touching them.
 */
public record Linear(NDArray weight, NDArray bias, MatmulPrecision precision, LinearAdapter adapter) {
    /** A projection with an empty adapter slot. */
    public Linear(NDArray weight, NDArray bias, MatmulPrecision precision) {
        this(weight, bias, precision, new LinearAdapter());
    }

    /** Inference: no dropout in the adapter. */
    public NDArray apply(NDArray x) {
        return apply(x, false);
    }

    /** {@code training} switches the adapter's dropout on (the base product has none). */
    public NDArray apply(NDArray x, boolean training) {
        NDArray y = LinearKernel.apply(x, weight, bias, precision.get());
        LowRankUpdate update = adapter.get();
        return update == null ? y : y.add(update.delta(x, precision.get(), training));
    }
}
