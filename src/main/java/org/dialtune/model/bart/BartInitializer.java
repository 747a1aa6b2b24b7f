package org.dialtune.model.bart;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.dialtune.model.TensorSource;

/**
 * HF {@code BartPreTrainedModel._init_weights}: Linear and Embedding weights ~ N(0, init_std), biases 0,
 * LayerNorm (1, 0), the pad row of each token embedding 0, {@code final_logits_bias} 0.
 *
 * <p>Values are drawn in Java, one generator per tensor seeded from (seed, tensor name), so a seed
 * gives the same weights on every machine and libtorch build, independent of tensor order.
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
        ByteBuffer buf = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        if (BartLayout.isLayerNorm(name)) {
            float v = name.endsWith(".weight") ? 1f : 0f;
            for (int i = 0; i < n; i++) buf.putFloat(4 * i, v);
        } else if (!BartLayout.isBias(name) && BartLayout.isParameter(name)) {
            SplittableRandom rnd = new SplittableRandom(mix(seed, name));
            for (int i = 0; i < n; i++) buf.putFloat(4 * i, (float) (rnd.nextGaussian() * config.initStd));
            if (BartLayout.isTokenEmbedding(name)) {
                long d = shape.get(1);
                for (long i = 0; i < d; i++) buf.putFloat((int) (4 * (config.padTokenId * d + i)), 0f);
            }
        } // biases and final_logits_bias stay zero (a fresh direct buffer is zero-filled)
        return buf;
    }

    /** A per-tensor seed: FNV-1a of the name folded into the user's seed, then SplitMix64-scrambled. */
    private static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        long z = seed * 0x9E3779B97F4A7C15L + h;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
