package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** torch.nn.LayerNorm over the last dimension, eps 1e-5 (BART's value). */
public record LayerNorm(NDArray weight, NDArray bias) {
    private static final float EPS = 1e-5f;

    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, EPS).get(0);
    }
}
