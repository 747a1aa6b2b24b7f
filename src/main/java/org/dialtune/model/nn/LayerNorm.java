package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** torch.nn.LayerNorm over the last dimension (mean and variance, weight and bias). */
public record LayerNorm(NDArray weight, NDArray bias, float eps) implements Norm {
    /** BART's eps, torch's default. */
    public static final float DEFAULT_EPS = 1e-5f;

    public LayerNorm(NDArray weight, NDArray bias) {
        this(weight, bias, DEFAULT_EPS);
    }

    @Override
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps).get(0);
    }
}
