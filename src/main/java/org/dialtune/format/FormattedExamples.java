package org.dialtune.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The formatted examples of one split, before their sources are fitted to a token budget: choose
 * first (a few-shot sample, an evaluation subset), then fit only what was chosen.
 */
public final class FormattedExamples {
    private final List<Formatter.Formatted> formatted;
    private final List<Seq2SeqExample> examples;
    private final Map<String, Formatter.Formatted> byId = new HashMap<>();

    public FormattedExamples(List<Formatter.Formatted> formatted) {
        this.formatted = List.copyOf(formatted);
        this.examples = formatted.stream().map(Formatter.Formatted::example).toList();
        for (Formatter.Formatted f : formatted) byId.put(f.example().id(), f);
    }

    /** The examples with their sources as formatted (not fitted). */
    public List<Seq2SeqExample> examples() {
        return examples;
    }

    /** All examples fitted to {@code budget}. */
    public FittedExamples fitAll(SourceBudget budget) {
        return FittedExamples.fit(formatted, new SourceFitter(budget));
    }

    /** Some of these examples (by id, in the order given) fitted to {@code budget}. */
    public FittedExamples fit(List<Seq2SeqExample> chosen, SourceBudget budget) {
        List<Formatter.Formatted> out = new ArrayList<>(chosen.size());
        for (Seq2SeqExample e : chosen) {
            Formatter.Formatted f = byId.get(e.id());
            if (f == null) throw new IllegalArgumentException("not one of these examples: " + e.id());
            out.add(f);
        }
        return FittedExamples.fit(out, new SourceFitter(budget));
    }
}
