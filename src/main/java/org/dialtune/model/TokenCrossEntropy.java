package org.dialtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.dialtune.common.UserError;
import org.dialtune.model.nn.Scalars;

/**
 * Token cross-entropy as HF computes it for seq2seq: {@code CrossEntropyLoss(ignore_index=-100,
 * label_smoothing=ε)} over the flattened batch, i.e. a mean over all label tokens of the batch (not
 * a mean of per-sequence means). Written by hand because DJL's losses average over padding or use
 * a length-prefix mask (djl-notes §5.7).
 */
public final class TokenCrossEntropy {
    public static final int IGNORE_INDEX = -100;

    /**
     * {@code loss}: the differentiable scalar to minimise, {@code summed / tokens}; {@code summed}: the
     * loss summed over the label tokens (differentiable; the trainer divides it by the label tokens of a
     * whole accumulated step); {@code nllSum}: summed negative log-likelihood of the labels (no
     * smoothing); {@code tokens}: the number of label tokens.
     */
    public record Result(NDArray loss, NDArray summed, NDArray nllSum, NDArray tokens) {}

    private final float labelSmoothing;

    public TokenCrossEntropy(float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f)) {
            throw new UserError("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** Logits [B, T, V] and labels [B, T] (INT64, -100 where ignored). */
    public Result compute(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray valid = labels.neq(IGNORE_INDEX);
        NDArray safeLabels = NDArrays.where(valid, labels, labels.zerosLike());
        NDArray weight = valid.toType(DataType.FLOAT32, false);
        NDArray nll = logProbs.gather(safeLabels.expandDims(-1), -1).squeeze(-1).neg();
        NDArray nllSum = nll.mul(weight).sum();
        NDArray tokens = weight.sum();
        NDArray summed;
        if (labelSmoothing == 0f) {
            summed = nllSum;
        } else {
            // PyTorch: (1-ε)·nll + ε·mean over the vocabulary of -log p, averaged over label tokens
            NDArray smooth = logProbs.mean(new int[] {-1}).neg().mul(weight).sum();
            summed = Scalars.mul(nllSum, 1 - labelSmoothing).add(Scalars.mul(smooth, labelSmoothing));
        }
        return new Result(summed.div(tokens), summed, nllSum, tokens);
    }

    /**
     * HF {@code shift_tokens_right}: decoder inputs are {@code [start] + labels[:-1]} with -100
     * replaced by the pad id. Result on the labels' manager.
     */
    public static NDArray shiftTokensRight(NDArray labels, int padTokenId, int decoderStartTokenId) {
        long b = labels.getShape().get(0);
        long t = labels.getShape().get(1);
        NDArray start = labels.getManager().full(new ai.djl.ndarray.types.Shape(b, 1), decoderStartTokenId,
                labels.getDataType());
        NDArray shifted = start.concat(labels.get(":, :{}", t - 1), 1);
        return NDArrays.where(shifted.eq(IGNORE_INDEX), shifted.onesLike().mul(padTokenId), shifted);
    }
}
