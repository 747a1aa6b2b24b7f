package org.dialtune.model.t5;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.dialtune.model.InitValues;
import org.dialtune.model.TensorSource;

/**
 * HF {@code T5PreTrainedModel._init_weights}, with {@code initializer_factor} f: RMS-norm weights f; the
 * token table and an untied LM head N(0, f); {@code wi}, {@code wi_0}, {@code wi_1} N(0, f·d_model^-0.5),
 * {@code wo} N(0, f·d_ff^-0.5); {@code q} N(0, f·(d_model·d_kv)^-0.5), {@code k}, {@code v}
 * N(0, f·d_model^-0.5), {@code o} N(0, f·(num_heads·d_kv)^-0.5); the relative position bias
 * N(0, f·d_model^-0.5). Drawn per tensor from (seed, name) ({@link InitValues}).
 */
public final class T5Initializer {
    private T5Initializer() {}

    public static TensorSource source(T5Config config, long seed) {
        return (name, shape) -> values(config, seed, name, shape);
    }

    private static ByteBuffer values(T5Config c, long seed, String name, Shape shape) {
        int n = Math.toIntExact(shape.size());
        double f = c.initializerFactor;
        if (T5Layout.isNorm(name)) return InitValues.constant(n, (float) f);
        return InitValues.normal(seed, name, n, f * std(c, name));
    }

    /** The standard deviation at factor 1 of a weight, by its role in HF's module tree. */
    private static double std(T5Config c, String name) {
        double d = c.dModel;
        if (name.equals(T5Layout.SHARED) || name.equals(T5Layout.LM_HEAD)) return 1.0;
        if (T5Layout.isRelativePositionBias(name)) return Math.pow(d, -0.5);
        if (name.endsWith(".wo.weight")) return Math.pow(c.dFf, -0.5);
        if (name.endsWith(".wi.weight") || name.endsWith(".wi_0.weight") || name.endsWith(".wi_1.weight")) {
            return Math.pow(d, -0.5);
        }
        if (name.endsWith(".q.weight")) return Math.pow(d * c.dKv, -0.5);
        if (name.endsWith(".k.weight") || name.endsWith(".v.weight")) return Math.pow(d, -0.5);
        if (name.endsWith(".o.weight")) return Math.pow((double) c.numHeads * c.dKv, -0.5);
        throw new IllegalArgumentException("no T5 initialisation rule for " + name);
    }
}
