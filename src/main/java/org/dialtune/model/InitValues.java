package org.dialtune.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.dialtune.common.SeedMix;

/**
 * Little-endian float32 buffers for a family's initialiser: normal draws from one generator per tensor,
 * seeded from (seed, tensor name), so a seed gives the same weights on every machine and libtorch
 * build, independent of tensor order.
 */
public final class InitValues {
    private InitValues() {}

    /** {@code n} values ~ N(0, std) for tensor {@code name}. */
    public static ByteBuffer normal(long seed, String name, int n, double std) {
        ByteBuffer buf = zeros(n);
        SplittableRandom rnd = new SplittableRandom(mix(seed, name));
        for (int i = 0; i < n; i++) buf.putFloat(4 * i, (float) (rnd.nextGaussian() * std));
        return buf;
    }

    /** {@code n} values ~ U(-bound, bound) for tensor {@code name}. */
    public static ByteBuffer uniform(long seed, String name, int n, double bound) {
        ByteBuffer buf = zeros(n);
        SplittableRandom rnd = new SplittableRandom(mix(seed, name));
        for (int i = 0; i < n; i++) buf.putFloat(4 * i, (float) ((rnd.nextDouble() * 2 - 1) * bound));
        return buf;
    }

    /** {@code n} copies of {@code value}. */
    public static ByteBuffer constant(int n, float value) {
        ByteBuffer buf = zeros(n);
        for (int i = 0; i < n; i++) buf.putFloat(4 * i, value);
        return buf;
    }

    /** {@code n} zeros (a fresh direct buffer is zero-filled). */
    public static ByteBuffer zeros(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A per-tensor seed: FNV-1a of the name folded into the user's seed, then SplitMix64-scrambled. */
    static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        return SeedMix.scramble(seed * 0x9E3779B97F4A7C15L + h);
    }
}
