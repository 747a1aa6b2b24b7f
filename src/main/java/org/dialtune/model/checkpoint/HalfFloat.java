package org.dialtune.model.checkpoint;

/** IEEE 754 binary16 → float32 (Java 17 has no Float.float16ToFloat; that arrived in Java 20). */
final class HalfFloat {
    private HalfFloat() {}

    static float toFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf / NaN
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign); // ±0
            float v = mant * 0x1p-24f; // subnormal: exact in float32
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
