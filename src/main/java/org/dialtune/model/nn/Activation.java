package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dialtune.common.UserError;

/** The HF {@code ACT2FN} activations BART and T5 configs use, by their config names. */
public final class Activation {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private static final Map<String, UnaryOperator<NDArray>> BY_NAME = Map.of(
            "gelu", x -> x.getNDArrayInternal().gelu(), // libtorch's default gelu is the exact erf form
            "relu", x -> x.getNDArrayInternal().relu(),
            "silu", x -> x.mul(x.getNDArrayInternal().sigmoid()),
            "swish", x -> x.mul(x.getNDArrayInternal().sigmoid()),
            "tanh", NDArray::tanh,
            "gelu_new", Activation::geluTanh);

    private Activation() {}

    public static UnaryOperator<NDArray> of(String name, String configSource) {
        return of(name, configSource, "activation_function");
    }

    /** The activation {@code name}; an unknown one is an error naming {@code configSource}'s {@code field}. */
    public static UnaryOperator<NDArray> of(String name, String configSource, String field) {
        UnaryOperator<NDArray> f = BY_NAME.get(name);
        if (f == null) {
            throw new UserError(configSource + ": field \"" + field + "\": unknown activation \"" + name
                    + "\" (use one of: " + String.join(", ", List.copyOf(new java.util.TreeSet<>(BY_NAME.keySet())))
                    + ")");
        }
        return f;
    }

    /** HF NewGELUActivation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return Scalars.mul(x, 0.5).mul(inner.tanh().add(1f));
    }
}
