package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import org.dialtune.model.Precision;

/**
 * LoRA's update of a projection, as PEFT's {@code lora.Linear} adds it:
 * {@code Δy = (dropout(x)·Aᵀ·Bᵀ)·scale}, A {@code [r, in]}, B {@code [out, r]}, scale {@code alpha/r}.
 */
public record LowRankUpdate(NDArray a, NDArray b, float scale, float dropout) {
    public NDArray delta(NDArray x, Precision precision, boolean training) {
        NDArray down = LinearKernel.apply(Dropout.apply(x, dropout, training), a, null, precision);
        NDArray up = LinearKernel.apply(down, b, null, precision);
        return scale == 1f ? up : Scalars.mul(up, scale);
    }
}
