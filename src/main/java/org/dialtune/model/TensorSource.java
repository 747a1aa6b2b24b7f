package org.dialtune.model;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/** Little-endian float32 values for a tensor of a family's layout (checkpoint reader, initialiser). */
@FunctionalInterface
public interface TensorSource {
    ByteBuffer float32(String name, Shape shape);
}
