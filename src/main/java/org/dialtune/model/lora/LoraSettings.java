package org.dialtune.model.lora;

import java.util.List;

/**
 * A LoRA adapter's shape: rank {@code r}, {@code alpha} (the update is scaled by alpha/r), dropout on
 * the adapter's input, and the projections it targets by the last part of their module name (PEFT's
 * {@code target_modules}, e.g. {@code q_proj}; kept sorted).
 */
public record LoraSettings(int r, double alpha, double dropout, List<String> targets) {
    public LoraSettings {
        targets = List.copyOf(new java.util.TreeSet<>(targets)); // a set, as PEFT's: sorted, each once
    }

    /** PEFT's {@code scaling = lora_alpha / r}, as the float32 factor torch multiplies by. */
    public float scale() {
        return (float) (alpha / r);
    }

    /** Whether module {@code module} is targeted: PEFT's rule, the name or its last dotted part equals a target. */
    public boolean targets(String module) {
        for (String t : targets) if (module.equals(t) || module.endsWith("." + t)) return true;
        return false;
    }
}
