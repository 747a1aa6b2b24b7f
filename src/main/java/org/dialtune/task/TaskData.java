package org.dialtune.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dialtune.common.UserError;

/**
 * A task with the data of some of its splits loaded and its label set resolved and checked: every
 * gold label of every loaded split must be in the label set, and every answer must render to a
 * non-empty, distinct option through the answer template.
 */
public record TaskData(Task task, LabelSet labels, Map<String, SplitData> splits) {
    public TaskData {
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** Loads {@code wanted} splits (all when empty) from {@code dataDir}. */
    public static TaskData load(Task task, Path dataDir, Collection<String> wanted) {
        List<String> names = new ArrayList<>(wanted.isEmpty() ? task.splits().keySet() : wanted);
        Map<String, SplitData> cache = new HashMap<>();
        LabelSpec spec = task.labels();
        LabelSet labels = null;
        if (spec != null && !spec.fromOptions()) {
            List<String> raw;
            if (spec.fixed() != null) {
                raw = spec.fixed();
            } else {
                SplitData source = SplitReader.readAll(task, spec.fromSplit(), dataDir);
                cache.put(spec.fromSplit(), SplitReader.cap(task, source));
                raw = List.copyOf(new TreeSet<>(source.examples().stream().map(DialogueExample::target).toList()));
                if (raw.size() < 2) {
                    throw new UserError(task.file() + ": field \"labels\": split \"" + spec.fromSplit()
                            + "\" has fewer than 2 distinct labels (" + raw + "); list the labels explicitly");
                }
            }
            for (String k : spec.names().keySet()) {
                if (!raw.contains(k)) {
                    throw new UserError(task.file() + ": field \"label_names\": \"" + k + "\" is not a label of this task");
                }
            }
            labels = verbalise(task, raw, spec);
        }
        Map<String, SplitData> out = new LinkedHashMap<>();
        for (String s : names) {
            SplitData d = cache.computeIfAbsent(s, x -> SplitReader.read(task, x, dataDir));
            check(task, labels, d);
            out.put(s, d);
        }
        return new TaskData(task, labels, out);
    }

    private static LabelSet verbalise(Task task, List<String> raw, LabelSpec spec) {
        Map<String, String> verbal = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (String r : raw) {
            String v = spec.verbal(r);
            String shown = task.fillTemplate(v);
            if (v.isBlank() || shown.isBlank()) {
                throw new UserError(task.file() + ": field \"answer_template\": label \"" + r
                        + "\" renders as an empty answer (give it words in \"label_names\")");
            }
            String clash = seen.put(shown, r);
            if (clash != null) {
                throw new UserError(task.file() + ": field \"label_names\": labels \"" + clash + "\" and \"" + r
                        + "\" both render as \"" + shown + "\" (give them distinct words)");
            }
            verbal.put(r, v);
        }
        return new LabelSet(raw, verbal);
    }

    private static void check(Task task, LabelSet labels, SplitData d) {
        if (labels == null) return;
        for (DialogueExample e : d.examples()) {
            if (!labels.contains(e.target())) {
                String where = task.labels().fixed() != null ? "\"labels\""
                        : "the labels of split \"" + task.labels().fromSplit() + "\" (\"labels\": \"from_data\")";
                throw new UserError(task.file() + ": field \"fields.label\": label \"" + e.target() + "\" at "
                        + e.location() + " is not in " + where
                        + " (add it to the label set, or exclude such rows with \"where\"/\"where_not\")");
            }
        }
    }
}
