package org.dialtune.eval.metric;

import com.google.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dialtune.common.UserError;

/** Looks metrics up by name among those bound in {@code EvalModule} (and any module that adds more). */
public final class Metrics {
    private final Map<String, Metric> byName;

    @Inject
    public Metrics(Map<String, Metric> byName) {
        this.byName = new TreeMap<>(byName);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The metric called {@code name}; otherwise a one-line {@link UserError} that starts with
     * {@code where} (e.g. {@code tasks/x.json: field "metric"}) and lists the known names.
     */
    public Metric get(String name, String where) {
        Metric m = byName.get(name);
        if (m == null) {
            throw new UserError(where + ": unknown metric \"" + name + "\" (use one of: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        return m;
    }
}
