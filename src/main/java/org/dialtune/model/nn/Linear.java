package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * y = x·Wᵀ + b with HF's [out, in] weight layout ({@link LinearKernel} picks libtorch's kernel). A
 * LoRA adapter later wraps one of these: the layers only call {@link #apply}.
 */
public record Linear(NDArray weight, NDArray bias, MatmulPrecision precision) {
    public NDArray apply(NDArray x) {
        return LinearKernel.apply(x, weight, bias, precision.get());
    }
}
