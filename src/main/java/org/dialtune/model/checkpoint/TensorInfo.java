package org.dialtune.model.checkpoint;

import java.util.Arrays;

/** One tensor entry of a safetensors header: where its bytes are (relative to the data section). */
public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
