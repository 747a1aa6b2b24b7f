package org.dialtune.common;

/**
 * SplitMix64's finaliser over a seed and up to two more numbers, so that nearby seeds, steps or chunk
 * indices give unrelated random generators (java.util.Random seeded with 1, 2, 3 starts almost alike).
 */
public final class SeedMix {
    private SeedMix() {}

    /** {@code seed}, {@code a} and {@code b} folded into one well-scrambled 64-bit seed. */
    public static long mix(long seed, long a, long b) {
        return scramble(seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL);
    }

    /** SplitMix64's output function: every input bit reaches every output bit. */
    public static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
