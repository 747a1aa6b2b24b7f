package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.nn.WeightUpdates;

/**
 * {@code torch.optim.AdamW} (single-tensor path, amsgrad off) over named parameters, with its state
 * exposed for exact resume. Our own because DJL's AdamW adds eps before the bias correction, decays
 * every parameter and keeps its moments private (djl-notes §5.3, §6). Per parameter and step t:
 * <pre>
 *   p ← p·(1 − lr·wd)                    (only where the decay filter says so)
 *   m ← β1·m + (1−β1)·g ;  v ← β2·v + (1−β2)·g²
 *   p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + eps)
 * </pre>
 */
public final class AdamW implements AutoCloseable {
    /** Hyper-parameters; {@code decay} says which parameter names get weight decay. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, Predicate<String> decay) {
        /** torch's defaults (weight decay 0.01) with {@code decay} choosing the decayed parameters (e.g. {@link ModelFamily#decays}). */
        public static Settings defaults(Predicate<String> decay) {
            return new Settings(0.9, 0.999, 1e-8, 0.01, decay);
        }

        public Settings withDecay(Predicate<String> filter) {
            return new Settings(beta1, beta2, eps, weightDecay, filter);
        }

        public Settings withWeightDecay(double wd) {
            return new Settings(beta1, beta2, eps, wd, decay);
        }
    }

    /** One parameter's state: steps taken, first and second moments (live arrays, same shape). */
    public record ParamState(long step, NDArray expAvg, NDArray expAvgSq) {}

    private final Map<String, NDArray> params;
    private final Settings settings;
    private final NDManager stateManager;
    private final Map<String, ParamState> state = new LinkedHashMap<>();

    /**
     * @param params the parameters to update, by name (e.g. {@code model.setTrainable(...)}); they must
     *     share one manager, beside which the moments are kept
     */
    public AdamW(Map<String, NDArray> params, Settings settings) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.settings = settings;
        NDManager owner = params.isEmpty() ? NDManager.newBaseManager() : params.values().iterator().next().getManager();
        this.stateManager = owner.newSubManager();
        // The moments are made now, before the first forward pass, rather than in the first step: made
        // then, they took the heap space the activations had just freed, so the second step page-faulted
        // a fresh 1 GB of activations again (bart-base: its second step took 4.4 s instead of 2.2 s).
        for (Map.Entry<String, NDArray> e : this.params.entrySet()) {
            state.put(e.getKey(), new ParamState(0, stateManager.zeros(e.getValue().getShape()),
                    stateManager.zeros(e.getValue().getShape())));
        }
    }

    public Map<String, NDArray> parameters() {
        return params;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Applies one update with learning rate {@code lr} from the current gradients, then zeroes them.
     * Call outside the GradientCollector. Temporaries and gradient handles live in {@code step}
     * (the caller's per-batch manager) or are closed here; the model's manager gains nothing.
     */
    public void step(double lr, NDManager step) {
        step(lr, step, 1.0);
    }

    /**
     * As {@link #step(double, NDManager)} with every gradient taken times {@code gradScale} (gradient
     * clipping, loss-scale removal), folded into the moment updates rather than a pass of its own.
     */
    public void step(double lr, NDManager step, double gradScale) {
        step(lr, Gradients.of(params, step), gradScale);
    }

    /** As above, with the gradients already read ({@link Gradients#of}) by a caller that needed them too. */
    void step(double lr, Map<String, NDArray> grads, double gradScale) {
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            try (NDScope scope = new NDScope()) { // the few scalar operands libtorch makes per call
                update(e.getKey(), params.get(e.getKey()), e.getValue(), lr, gradScale);
            }
        }
        Gradients.zero(params);
        WeightUpdates.advance(); // copies derived from the weights (the LM head's) are stale now
    }

    /**
     * torch's update, written as passes over the moments, the parameter and the gradient itself
     * (zeroed after the step anyway), with the constants folded:
     * <pre>
     *   g ← (1−β1)·c·g ;  m ← β1·m + g
     *   g ← g² · (1−β2)/(1−β1)² ;  v ← β2·v + g            (= β2·v + (1−β2)·c²·g²)
     *   d ← √v + eps·√(1−β2^t) ;  g ← m / d · lr·√(1−β2^t)/(1−β1^t) ;  p ← p − g
     * </pre>
     * which is torch's lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps) multiplied out. Why so: an allocating
     * operation on a large tensor can write to fresh memory — libtorch's 64-byte-aligned allocations
     * need more than the holes glibc's heap keeps of earlier same-sized ones — and then page-faults its
     * whole result (a 154 MB embedding: 110–200 ms per operation against 3 ms in place); the update had
     * four such operations per parameter and took 0.3–1.4 s per bart-base step against torch's 0.14 s.
     * Now every pass is in place but √v (libtorch has no in-place square root DJL can call, and
     * {@code powi(0.5)} takes libtorch's general tensor-exponent power, 10x slower than a multiply),
     * which is taken a chunk of {@link #SQRT_CHUNK} values at a time: allocations that small reuse freed
     * memory (bart-base, a loop of updates alone: 1.3 s → 0.25 s per update; README "Performance").
     */
    private void update(String name, NDArray p, NDArray g, double lr, double c) {
        ParamState s = state.get(name);
        long t = s.step() + 1;
        state.put(name, new ParamState(t, s.expAvg(), s.expAvgSq()));
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        if (settings.weightDecay() != 0 && settings.decay().test(name)) p.muli((float) (1 - lr * settings.weightDecay()));
        g.muli((float) ((1 - b1) * c));
        s.expAvg().muli((float) b1).addi(g);
        g.muli(g).muli((float) ((1 - b2) / ((1 - b1) * (1 - b1))));
        s.expAvgSq().muli((float) b2).addi(g);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        float epsScaled = (float) (settings.eps() * bc2Sqrt);
        float stepSize = (float) (lr * bc2Sqrt / (1 - Math.pow(b1, t)));
        NDArray gFlat = g.reshape(-1); // views: the chunks' in-place operations write into g
        NDArray mFlat = s.expAvg().reshape(-1);
        NDArray vFlat = s.expAvgSq().reshape(-1);
        long n = gFlat.size();
        for (long from = 0; from < n; from += SQRT_CHUNK) {
            NDIndex chunk = new NDIndex("{}:{}", from, Math.min(n, from + SQRT_CHUNK));
            NDArray gChunk = gFlat.get(chunk);
            try (NDArray denom = vFlat.get(chunk).sqrt()) {
                gChunk.set(ALL, mFlat.get(chunk));
                gChunk.divi(denom.addi(epsScaled)).muli(stepSize);
            }
        }
        p.subi(g);
    }

    /** Values per square-root allocation (4 MB): small enough that freed memory is reused. */
    private static final long SQRT_CHUNK = 1 << 20;

    private static final NDIndex ALL = new NDIndex("...");

    /** Per-parameter state by name (only parameters that were updated at least once). */
    public Map<String, ParamState> state() {
        Map<String, ParamState> taken = new LinkedHashMap<>();
        state.forEach((name, s) -> {
            if (s.step() > 0) taken.put(name, s);
        });
        return Collections.unmodifiableMap(taken);
    }

    /**
     * Restores one parameter's state (exact resume): the step count, and the moment values copied into
     * its arrays.
     */
    public void restore(String name, long step, float[] expAvg, float[] expAvgSq) {
        ParamState s = state.get(name);
        if (s == null) throw new IllegalArgumentException("no parameter " + name);
        s.expAvg().set(expAvg);
        s.expAvgSq().set(expAvgSq);
        state.put(name, new ParamState(step, s.expAvg(), s.expAvgSq()));
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
