package org.dialtune.model;

import ai.djl.ndarray.NDArray;

/**
 * y = x·Wᵀ + b with HF's [out, in] weight layout (libtorch's fused linear). A LoRA adapter later
 * wraps one of these: the layers only call {@link #apply}.
 */
record Linear(NDArray weight, NDArray bias) {
    NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
