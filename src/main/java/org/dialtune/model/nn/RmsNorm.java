package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * HF T5LayerNorm, root-mean-square normalisation: x / sqrt(mean(x²) + eps) · weight, over the last
 * dimension, with no mean subtraction and no bias. The statistics are float32 like the activations.
 */
public record RmsNorm(NDArray weight, float eps) implements Norm {
    @Override
    public NDArray apply(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(Scalars.of(variance, eps)).sqrt()).mul(weight);
    }
}
