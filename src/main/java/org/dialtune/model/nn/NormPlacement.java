package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * Where a residual sublayer (attention or feed-forward) puts its norm: BART normalises the residual
 * sum (post-LN, {@code norm(h + dropout(f(h)))}), T5 the sublayer's input (pre-LN,
 * {@code h + dropout(f(norm(h)))}, with one final norm after the last layer).
 */
public enum NormPlacement {
    POST {
        @Override
        public NDArray residual(NDArray h, Norm norm, UnaryOperator<NDArray> sublayer, float dropout, boolean training) {
            return norm.apply(h.add(Dropout.apply(sublayer.apply(h), dropout, training)));
        }
    },
    PRE {
        @Override
        public NDArray residual(NDArray h, Norm norm, UnaryOperator<NDArray> sublayer, float dropout, boolean training) {
            return h.add(Dropout.apply(sublayer.apply(norm.apply(h)), dropout, training));
        }
    };

    /** One residual sublayer around {@code sublayer}, its output dropped out in training. */
    public abstract NDArray residual(NDArray h, Norm norm, UnaryOperator<NDArray> sublayer, float dropout,
                                     boolean training);
}
