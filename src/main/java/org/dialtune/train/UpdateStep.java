package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * One optimiser update from the accumulated gradients, as the trainer and the benchmark take it: in
 * fp16 the loss scaler checks the gradients for overflow (skipping the update and lowering the scale)
 * and its scale is divided out; gradients are clipped to a global norm; AdamW applies both factors
 * inside its moment updates.
 */
final class UpdateStep {
    /** The gradient norm of the unscaled loss before clipping (NaN for a skipped step or when not measured). */
    record Outcome(double gradNorm, boolean skipped) {}

    private final AdamW opt;
    private final LossScaler scaler;
    private final double clipNorm;
    private final boolean measureNorm;

    /**
     * @param scaler null in fp32
     * @param clipNorm 0 for no clipping
     * @param measureNorm compute the norm even when neither the scaler nor clipping needs it (for the log)
     */
    UpdateStep(AdamW opt, LossScaler scaler, double clipNorm, boolean measureNorm) {
        this.opt = opt;
        this.scaler = scaler;
        this.clipNorm = clipNorm;
        this.measureNorm = measureNorm;
    }

    /**
     * What each micro-batch's summed loss is multiplied by before backward: the loss scale over
     * {@code labelTokens}, the label tokens of all micro-batches of the step (see {@link StageTrainer}).
     */
    double lossFactor(long labelTokens) {
        return (scaler != null ? scaler.scale() : 1.0) / labelTokens;
    }

    Outcome apply(double lr, NDManager step) {
        Map<String, NDArray> grads = Gradients.of(opt.parameters(), step);
        boolean needNorm = measureNorm || scaler != null || clipNorm > 0;
        double norm = needNorm ? Gradients.globalNorm(grads) : Double.NaN;
        double gradScale = 1.0;
        if (scaler != null) {
            gradScale = 1.0 / scaler.scale(); // the scale this step's backward used, before update() changes it
            if (!scaler.update(norm)) { // float16 overflow: no update, a lower scale next time
                Gradients.zero(opt.parameters());
                return new Outcome(Double.NaN, true);
            }
            norm *= gradScale;
        }
        if (clipNorm > 0) gradScale *= Gradients.clipFactor(norm, clipNorm);
        opt.step(lr, grads, gradScale);
        return new Outcome(norm, false);
    }
}
