package org.dialtune.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Examples whose sources were fitted to a token budget, with what the fitting took out of each. */
public final class FittedExamples {
    private final List<Seq2SeqExample> examples;
    private final Map<String, SourceFit> fits;
    private final FitCounts counts;

    private FittedExamples(List<Seq2SeqExample> examples, Map<String, SourceFit> fits, FitCounts counts) {
        this.examples = examples;
        this.fits = fits;
        this.counts = counts;
    }

    /** Fits the sources of {@code formatted} (ids unique, as within a split). */
    public static FittedExamples fit(List<Formatter.Formatted> formatted, SourceFitter fitter) {
        List<SourceFit> fitted = fitter.fit(formatted.stream().map(Formatter.Formatted::parts).toList());
        List<Seq2SeqExample> out = new ArrayList<>(formatted.size());
        Map<String, SourceFit> byId = new HashMap<>();
        FitCounts counts = FitCounts.none(fitter.budget().maxTokens());
        for (int i = 0; i < formatted.size(); i++) {
            Formatter.Formatted f = formatted.get(i);
            SourceFit s = fitted.get(i);
            out.add(s.shortened() ? f.withSource(s.source()) : f.example());
            byId.put(f.example().id(), s);
            counts = counts.plus(s);
        }
        return new FittedExamples(List.copyOf(out), byId, counts);
    }

    public List<Seq2SeqExample> examples() {
        return examples;
    }

    /** What fitting took out of all the examples. */
    public FitCounts counts() {
        return counts;
    }

    /** What fitting took out of {@code subset} (some of these examples, e.g. those evaluated). */
    public FitCounts counts(List<Seq2SeqExample> subset) {
        FitCounts c = FitCounts.none(counts.maxTokens());
        for (Seq2SeqExample e : subset) {
            SourceFit f = fits.get(e.id());
            if (f == null) throw new IllegalArgumentException("not one of these examples: " + e.id());
            c = c.plus(f);
        }
        return c;
    }
}
