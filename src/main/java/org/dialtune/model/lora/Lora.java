package org.dialtune.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.UserError;
import org.dialtune.model.InitValues;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TensorSource;
import org.dialtune.model.nn.Linear;
import org.dialtune.model.nn.LowRankUpdate;
import org.dialtune.model.nn.Projections;
import org.dialtune.model.nn.WeightUpdates;

/**
 * Puts LoRA adapters on a model's projections, and merges them into its weights. The adapter tensors
 * are named as PEFT names them without its {@code base_model.model.} prefix and adapter name:
 * {@code <module>.lora_A.weight} {@code [r, in]} and {@code <module>.lora_B.weight} {@code [out, r]};
 * they join {@link Seq2SeqLm#parameters()} but not {@link Seq2SeqLm#tensors()}, so the base checkpoint is
 * unchanged.
 */
public final class Lora {
    private Lora() {}

    /** A's name for module {@code module}. */
    public static String aName(String module) {
        return module + ".lora_A.weight";
    }

    public static String bName(String module) {
        return module + ".lora_B.weight";
    }

    /**
     * The modules {@code settings} targets in {@code model}, in model order; a target the family does not
     * have, or that matches no projection of this model, is a UserError prefixed by {@code where}
     * (e.g. the stage file and field).
     */
    public static List<String> targetedModules(Seq2SeqLm model, LoraSettings settings, String where) {
        ModelFamily family = ModelFamilies.of(model.config());
        for (String t : settings.targets()) {
            if (!family.loraTargets().contains(t)) {
                throw new UserError(where + ": \"" + t + "\" is not a projection of " + family.modelType()
                        + " models (use " + String.join(", ", family.loraTargets()) + ")");
            }
            boolean found = model.projections().modules().keySet().stream()
                    .anyMatch(m -> new LoraSettings(1, 1, 0, List.of(t)).targets(m));
            if (!found) {
                throw new UserError(where + ": \"" + t + "\" matches no projection of this " + family.modelType()
                        + " model (its config has none; e.g. T5 v1.1 has wi_0/wi_1, v1.0 has wi)");
            }
        }
        List<String> modules = new ArrayList<>();
        for (String m : model.projections().modules().keySet()) if (settings.targets(m)) modules.add(m);
        return modules;
    }

    /**
     * PEFT's initialisation ({@code init_lora_weights=True}): A from kaiming-uniform with a = √5 (U(±1/√in)),
     * drawn per tensor from (seed, name); B zeros, so the adapted model starts as the base model.
     */
    public static TensorSource initializer(long seed) {
        return (name, shape) -> name.endsWith(".lora_A.weight")
                ? InitValues.uniform(seed, name, (int) shape.size(), 1 / Math.sqrt(shape.get(1)))
                : InitValues.zeros((int) shape.size());
    }

    /**
     * Puts an adapter on every targeted projection with A and B from {@code values} (by the names above);
     * returns the adapter tensors by name. The model must have none yet.
     */
    public static Map<String, NDArray> attach(Seq2SeqLm model, LoraSettings settings, TensorSource values, String where) {
        if (settings.r() <= 0) throw new UserError(where + ": r must be at least 1, got " + settings.r());
        Projections projections = model.projections();
        if (!projections.adapterTensors().isEmpty()) throw new IllegalStateException("the model already has adapters");
        List<String> modules = targetedModules(model, settings, where);
        NDManager manager = model.manager();
        Map<String, NDArray> made = new LinkedHashMap<>();
        try {
            for (String module : modules) {
                Linear l = projections.modules().get(module);
                long out = l.weight().getShape().get(0);
                long in = l.weight().getShape().get(1);
                made.put(aName(module), create(manager, values, aName(module), new Shape(settings.r(), in)));
                made.put(bName(module), create(manager, values, bName(module), new Shape(out, settings.r())));
            }
        } catch (RuntimeException e) {
            made.values().forEach(NDArray::close); // all or nothing: the model keeps no half adapter
            throw e;
        }
        for (String module : modules) {
            projections.attach(module, new LowRankUpdate(made.get(aName(module)), made.get(bName(module)),
                    settings.scale(), (float) settings.dropout()), aName(module), bName(module));
        }
        return made;
    }

    private static NDArray create(NDManager manager, TensorSource values, String name, Shape shape) {
        ByteBuffer data = values.float32(name, shape);
        NDArray a = manager.create(data, shape, DataType.FLOAT32);
        a.setName(name);
        return a;
    }

    /**
     * Folds every adapter into its projection's weight, as PEFT's {@code merge_and_unload}:
     * W ← W + (B·A)·scale; then takes the adapters off and frees them. The model is a plain model after.
     */
    public static void merge(Seq2SeqLm model) {
        Projections projections = model.projections();
        try (NDManager tmp = model.manager().newSubManager()) {
            for (Linear l : projections.modules().values()) {
                LowRankUpdate u = l.adapter().get();
                if (u == null) continue;
                NDArray delta = u.b().matMul(u.a());
                delta.attach(tmp);
                NDArray scaled = delta.mul(u.scale());
                scaled.attach(tmp);
                l.weight().addi(scaled);
            }
        }
        WeightUpdates.advance();
        List<NDArray> adapterTensors = new ArrayList<>(projections.adapterTensors().values());
        projections.detachAll();
        for (NDArray a : adapterTensors) a.close();
    }
}
