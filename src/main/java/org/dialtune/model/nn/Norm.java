package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;

/** A normalisation over the last dimension: {@link LayerNorm} (BART) or {@link RmsNorm} (T5). */
public interface Norm {
    NDArray apply(NDArray x);
}
