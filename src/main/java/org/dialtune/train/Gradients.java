package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading, clipping and clearing the gradients of named parameters.
 *
 * <p>DJL returns a new native handle on every {@code getGradient()} call, owned by the parameter's
 * manager; {@link #of} attaches each to the caller's per-step manager so they do not pile up in the
 * model's manager (djl-notes §3 and gotcha 6).
 */
public final class Gradients {
    private Gradients() {}

    /** The gradient of every parameter that has one, attached to {@code step}. */
    public static Map<String, NDArray> of(Map<String, NDArray> params, NDManager step) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            if (!e.getValue().hasGradient()) continue;
            NDArray g = e.getValue().getGradient();
            g.attach(step);
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    /**
     * ‖(‖g₁‖, ‖g₂‖, …)‖ over all gradients, computed as {@code torch.nn.utils.clip_grad_norm_} does
     * (one norm per tensor, then the norm of those), one host read.
     */
    public static double globalNorm(Map<String, NDArray> grads) {
        if (grads.isEmpty()) return 0;
        NDList norms = new NDList();
        for (NDArray g : grads.values()) norms.add(g.norm());
        return NDArrays.stack(norms).norm().getFloat();
    }

    /**
     * The factor {@code torch.nn.utils.clip_grad_norm_} scales all gradients by: {@code maxNorm /
     * (norm + 1e-6)} when that is below 1, else 1. {@link AdamW#step(double, NDManager, double)} applies
     * it inside the update instead of in a separate pass over every gradient. (DJL's
     * {@code optClipGrad} clamps element-wise and only from above — djl-notes §5.2.)
     */
    public static double clipFactor(double norm, double maxNorm) {
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /**
     * Sets every parameter's gradient to zero (they accumulate across backward calls otherwise).
     * libtorch's own zeroing, because DJL's {@code GradientCollector.zeroGradients()} walks every array
     * of the system manager and leaves a new gradient handle behind for each.
     */
    public static void zero(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            if (p.hasGradient()) JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
