package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a layer's temporaries as soon as the layer is done, in inference. An NDArray lives until its
 * manager closes, so without this an encoder pass kept every layer's scores, probabilities and
 * feed-forward activations alive to the end (about 1 GB for flan-t5-base on 8 × 128 tokens): each
 * pass then wrote to fresh, cold memory where PyTorch, freeing a tensor with its last reference,
 * reuses a few warm buffers. In training the autograd graph holds them for the backward pass anyway.
 */
public final class Temporaries {
    private Temporaries() {}

    /** {@code layer}'s result; in inference every other array it created is closed on return. */
    public static NDArray freedAfter(boolean training, Supplier<NDArray> layer) {
        if (training) return layer.get();
        try (NDScope scope = new NDScope()) {
            NDArray out = layer.get();
            NDScope.unregister(out);
            return out;
        }
    }
}
