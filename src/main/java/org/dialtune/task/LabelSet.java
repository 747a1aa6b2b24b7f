package org.dialtune.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved answers of a classification task with a label set: raw labels in a fixed order and the
 * words shown for each. Tasks whose options come from the data have no label set.
 */
public record LabelSet(List<String> raw, Map<String, String> verbal) {
    public LabelSet {
        raw = List.copyOf(raw);
        verbal = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(verbal));
    }

    public boolean contains(String label) {
        return verbal.containsKey(label);
    }

    /** The shown words, in label order. */
    public List<String> options() {
        return raw.stream().map(verbal::get).toList();
    }
}
