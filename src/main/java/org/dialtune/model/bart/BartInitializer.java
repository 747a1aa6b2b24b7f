package org.dialtune.model.bart;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.dialtune.model.InitValues;
import org.dialtune.model.TensorSource;

/**
 * HF {@code BartPreTrainedModel._init_weights}: Linear and Embedding weights ~ N(0, init_std), biases 0,
 * LayerNorm (1, 0), the pad row of each token embedding 0, {@code final_logits_bias} 0.
 *
 * <p>Values are drawn in Java, one generator per tensor seeded from (seed, tensor name) ({@link
 * InitValues}), so a seed gives the same weights on every machine and libtorch build, independent of
 * tensor order.
 */
public final class BartInitializer {
    private BartInitializer() {}

    public static BartModel random(BartConfig config, Device device, long seed) {
        return BartModel.create(config, device, source(config, seed));
    }

    public static TensorSource source(BartConfig config, long seed) {
        return (name, shape) -> values(config, seed, name, shape);
    }

    private static ByteBuffer values(BartConfig config, long seed, String name, Shape shape) {
        int n = Math.toIntExact(shape.size());
        if (BartLayout.isLayerNorm(name)) return InitValues.constant(n, name.endsWith(".weight") ? 1f : 0f);
        if (BartLayout.isBias(name) || !BartLayout.isParameter(name)) return InitValues.zeros(n); // and final_logits_bias
        ByteBuffer buf = InitValues.normal(seed, name, n, config.initStd);
        if (BartLayout.isTokenEmbedding(name)) {
            long d = shape.get(1);
            for (long i = 0; i < d; i++) buf.putFloat((int) (4 * (config.padTokenId * d + i)), 0f);
        }
        return buf;
    }
}
