package org.dialtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.TensorSource;

/**
 * A model's float32 weights: plain NDArrays in one manager, by Hugging Face state-dict name in the
 * layout's order (no DJL Block machinery, so names, caching and gradients are the model's own).
 */
public final class Weights implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> tensors;

    private Weights(NDManager manager, Map<String, NDArray> tensors) {
        this.manager = manager;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Every tensor of {@code layout}, with its values from {@code source}, on {@code device}. */
    public static Weights create(Map<String, Shape> layout, Device device, TensorSource source) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : layout.entrySet()) {
                ByteBuffer data = source.float32(e.getKey(), e.getValue());
                NDArray a = manager.create(data, e.getValue(), DataType.FLOAT32);
                a.setName(e.getKey());
                tensors.put(e.getKey(), a);
            }
            return new Weights(manager, tensors);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The tensor {@code name}; a name outside the layout is a programming error. */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) throw new IllegalStateException("layout has no tensor " + name);
        return a;
    }

    public Map<String, NDArray> all() {
        return tensors;
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * Switches gradients on for the {@code parameters} {@code which} accepts and off for the others;
     * returns the chosen ones, in order.
     */
    public static Map<String, NDArray> setTrainable(Map<String, NDArray> parameters, Predicate<String> which) {
        Map<String, NDArray> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            boolean on = which.test(e.getKey());
            if (on != e.getValue().hasGradient()) e.getValue().setRequiresGradient(on);
            if (on) chosen.put(e.getKey(), e.getValue());
        }
        return chosen;
    }

    @Override
    public void close() {
        manager.close();
    }
}
