package org.dialtune.eval.report;

import java.util.Locale;

/**
 * What a training stage does, read from its name by convention, because results.csv records stage
 * names and not their contents: a name containing {@code general} is general multi-task training,
 * one containing {@code in-domain}, {@code in_domain} or {@code indomain} is in-domain multi-task
 * training, one containing {@code few-shot}, {@code few_shot} or {@code fewshot} is few-shot
 * fine-tuning (case-insensitive).
 */
public enum StageKind {
    GENERAL("general"),
    IN_DOMAIN("in-domain", "in_domain", "indomain"),
    FEW_SHOT("few-shot", "few_shot", "fewshot");

    private final String[] markers;

    StageKind(String... markers) {
        this.markers = markers;
    }

    public boolean matches(String stageName) {
        String n = stageName.toLowerCase(Locale.ROOT);
        for (String m : markers) if (n.contains(m)) return true;
        return false;
    }
}
