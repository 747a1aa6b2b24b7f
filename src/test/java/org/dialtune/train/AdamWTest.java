package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.ModelFamilies;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** The decay rule of BART (none on biases and LayerNorms), through the registry as the trainer takes it. */
    private static final Predicate<String> BART_DECAY = ModelFamilies.forType("bart", Path.of("test"))::decays;

    /** loss = Σ c·p for each parameter, so that the gradient of p is exactly c. */
    private static void backward(Map<String, NDArray> params, float[] coef, NDManager step) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            int i = 0;
            for (NDArray p : params.values()) {
                NDArray term = org.dialtune.model.nn.Scalars.mul(p, coef[i++]).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private static Map<String, NDArray> params(NDManager m) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("layer.fc1.weight", m.create(new float[] {0.5f, -1.25f}));
        p.put("layer.fc1.bias", m.create(new float[] {0.75f}));
        p.put("layer.final_layer_norm.weight", m.create(new float[] {1.0f}));
        p.values().forEach(a -> a.setRequiresGradient(true));
        return p;
    }

    @Test
    void twoStepsFollowTorchFormulaWithBiasCorrection() {
        double lr = 0.01;
        double wd = 0.1;
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            AdamW.Settings s = AdamW.Settings.defaults(BART_DECAY).withWeightDecay(wd);
            float[][] grads = {{0.3f, 0f, 0f}, {-0.1f, 0f, 0f}};
            double w = 0.5;
            double b = 0.75;
            double mw = 0;
            double vw = 0;
            try (AdamW opt = new AdamW(p, s)) {
                for (int t = 1; t <= 2; t++) {
                    try (NDManager step = m.newSubManager()) {
                        backward(p, grads[t - 1], step);
                        opt.step(lr, step);
                    }
                    double g = grads[t - 1][0];
                    w *= 1 - lr * wd; // weights decay ...
                    mw = 0.9 * mw + 0.1 * g;
                    vw = 0.999 * vw + 0.001 * g * g;
                    w -= lr / (1 - Math.pow(0.9, t)) * mw / (Math.sqrt(vw) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
                }
                assertEquals(w, p.get("layer.fc1.weight").toFloatArray()[0], 1e-7);
                // ... biases and LayerNorm weights do not by default; with a zero gradient they stay put
                assertEquals(b, p.get("layer.fc1.bias").toFloatArray()[0], 0);
                assertEquals(1.0f, p.get("layer.final_layer_norm.weight").toFloatArray()[0], 0);
                assertEquals(2, opt.state().get("layer.fc1.weight").step());
            }
        }
    }

    @Test
    void decayFilterIsConfigurable() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            try (AdamW opt = new AdamW(p, AdamW.Settings.defaults(n -> true));
                 NDManager step = m.newSubManager()) {
                backward(p, new float[] {0f, 0f, 0f}, step);
                opt.step(0.1, step);
                assertEquals(0.75f * (1 - 0.1f * 0.01f), p.get("layer.fc1.bias").toFloatArray()[0], 1e-7);
                assertEquals(1 - 0.1f * 0.01f, p.get("layer.final_layer_norm.weight").toFloatArray()[0], 1e-7);
            }
        }
    }

    @Test
    void exportedStateResumesExactly() {
        float[][] grads = {{0.3f, -2f, 1f}, {-0.1f, 4f, 0.5f}, {0.7f, 0.2f, -3f}};
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> unbroken = params(m);
            try (AdamW opt = new AdamW(unbroken, AdamW.Settings.defaults(BART_DECAY))) {
                for (float[] g : grads) {
                    try (NDManager step = m.newSubManager()) {
                        backward(unbroken, g, step);
                        opt.step(0.01, step);
                    }
                }
            }
            Map<String, NDArray> resumed = params(m);
            Map<String, float[][]> saved = new LinkedHashMap<>();
            Map<String, Long> steps = new LinkedHashMap<>();
            try (AdamW first = new AdamW(resumed, AdamW.Settings.defaults(BART_DECAY))) {
                for (int i = 0; i < 2; i++) {
                    try (NDManager step = m.newSubManager()) {
                        backward(resumed, grads[i], step);
                        first.step(0.01, step);
                    }
                }
                first.state().forEach((n, s) -> {
                    saved.put(n, new float[][] {s.expAvg().toFloatArray(), s.expAvgSq().toFloatArray()});
                    steps.put(n, s.step());
                });
            }
            try (AdamW second = new AdamW(resumed, AdamW.Settings.defaults(BART_DECAY)); NDManager step = m.newSubManager()) {
                saved.forEach((n, s) -> second.restore(n, steps.get(n), s[0], s[1]));
                backward(resumed, grads[2], step);
                second.step(0.01, step);
            }
            for (String n : unbroken.keySet()) {
                assertArrayEquals(unbroken.get(n).toFloatArray(), resumed.get(n).toFloatArray(), n);
            }
        }
    }

    @Test
    void globalNormAndClipFactorFollowClipGradNorm() {
        try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
            Map<String, NDArray> p = params(m);
            backward(p, new float[] {3f, 0f, 0f}, step); // grads: fc1.weight (3, 3), bias 0, ln 0 ...
            Gradients.zero(p);
            backward(p, new float[] {2f, 1f, 0f}, step); // ... zeroed, then (2, 2), (1), (0): norm 3
            double norm = Gradients.globalNorm(Gradients.of(p, step));
            assertEquals(3.0, norm, 1e-6);
            assertEquals(0.5, Gradients.clipFactor(norm, 1.5), 1e-6);
            assertEquals(1.0, Gradients.clipFactor(norm, 10), 0.0); // below the limit nothing changes
        }
    }

    /** A gradient scale folded into the update equals scaling the gradients first (clipping as torch does it). */
    @Test
    void scaledStepEqualsStepOnScaledGradients() {
        float[][] results = new float[2][];
        for (int variant = 0; variant < 2; variant++) {
            try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
                Map<String, NDArray> p = params(m);
                try (AdamW opt = new AdamW(p, AdamW.Settings.defaults(BART_DECAY))) {
                    for (int t = 0; t < 3; t++) {
                        backward(p, new float[] {2f, 1f, -0.5f}, step);
                        if (variant == 0) {
                            for (NDArray g : Gradients.of(p, step).values()) g.muli(0.25f);
                            opt.step(0.1, step);
                        } else {
                            opt.step(0.1, step, 0.25);
                        }
                    }
                }
                results[variant] = p.get("layer.fc1.weight").toFloatArray();
            }
        }
        assertArrayEquals(results[0], results[1], 1e-6f);
    }
}
