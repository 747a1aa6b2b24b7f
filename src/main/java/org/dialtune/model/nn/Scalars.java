package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd.
 *
 * <p>DJL's {@code x.mul(2f)} wraps the number in a tensor backed by a Java direct buffer and closes it
 * right after the op; libtorch's MulBackward (likewise DivBackward, PowBackward) keeps that tensor for
 * the backward pass, which then reads freed memory once the GC has run — training went NaN or diverged
 * in 1 run out of ~10 (every run with a busy GC). Here the constant is a libtorch-owned tensor
 * ({@code full}), so autograd's reference keeps it alive.
 */
public final class Scalars {
    private Scalars() {}

    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    public static NDArray pow(NDArray x, double exponent) {
        return x.pow(of(x, exponent));
    }
}
