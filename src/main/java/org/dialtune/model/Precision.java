package org.dialtune.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.dialtune.common.UserError;

/**
 * The type the model's matrix products run in. FP32 computes everything in float32. FP16 is mixed
 * precision as {@code torch.autocast} does it for linear layers: every projection and the LM head
 * multiply float16 copies of their input and weights, everything else (embeddings, LayerNorm,
 * softmax, the loss, the weights and the optimiser) stays float32. Training in FP16 needs loss
 * scaling ({@code train.LossScaler}). bfloat16 is refused: DJL 0.35.1's native type switch aborts
 * the JVM on bfloat16 tensors (djl-notes §5.1).
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16);

    private final DataType matmulType;

    Precision(DataType matmulType) {
        this.matmulType = matmulType;
    }

    public DataType matmulType() {
        return matmulType;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32} / {@code fp16} (as given to {@code option}), with a fix in the error. */
    public static Precision parse(String value, String option) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "fp32", "float32" -> {
                return FP32;
            }
            case "fp16", "float16", "half" -> {
                return FP16;
            }
            case "bf16", "bfloat16" -> throw new UserError(option + " " + value + ": bfloat16 is not available: DJL 0.35.1"
                    + " aborts the JVM on bfloat16 tensors; use fp16 (mixed precision with loss scaling) or fp32");
            default -> throw new UserError(option + ": unknown precision \"" + value + "\" (use fp32 or fp16)");
        }
    }
}
