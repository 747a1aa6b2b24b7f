package org.dialtune.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's projections by module name (the HF weight name without {@code .weight}, e.g.
 * {@code model.encoder.layers.0.self_attn.q_proj}), in the order the model built them, and the
 * adapter tensors put on them: what LoRA targets, trains, saves and merges. Adapter tensors are
 * parameters of the model but not part of its base checkpoint ({@code tensors()}).
 */
public final class Projections {
    private final Map<String, Linear> modules = new LinkedHashMap<>();
    private final Map<String, NDArray> adapterTensors = new LinkedHashMap<>();

    /** Registers {@code linear} as module {@code module} and returns it. */
    public Linear add(String module, Linear linear) {
        if (modules.put(module, linear) != null) throw new IllegalStateException("projection registered twice: " + module);
        return linear;
    }

    public Map<String, Linear> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /** Puts {@code update} on module {@code module}; its A and B become parameters {@code aName}, {@code bName}. */
    public void attach(String module, LowRankUpdate update, String aName, String bName) {
        Linear l = modules.get(module);
        if (l == null) throw new IllegalArgumentException("no projection " + module);
        if (l.adapter().get() != null) throw new IllegalStateException(module + " already has an adapter");
        l.adapter().set(update);
        adapterTensors.put(aName, update.a());
        adapterTensors.put(bName, update.b());
    }

    /** Takes every adapter off (after merging, or to run the base model); their tensors are the caller's to free. */
    public void detachAll() {
        for (Linear l : modules.values()) l.adapter().set(null);
        adapterTensors.clear();
    }

    /** The adapter tensors by name, in the order they were attached (empty without adapters). */
    public Map<String, NDArray> adapterTensors() {
        return Collections.unmodifiableMap(adapterTensors);
    }
}
