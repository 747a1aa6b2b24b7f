package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;

/** Examples whose sources were fitted to a token budget, with what the fitting took out of each. */
public final class FittedExamples {
    private final List<Seq2SeqExample> examples;
    private final FitCounts counts;

    private FittedExamples(List<Seq2SeqExample> examples, FitCounts counts) {
        this.examples = examples;
        this.counts = counts;
    }

    /** Fits the sources of {@code formatted}. */
    public static FittedExamples fit(List<Formatter.Formatted> formatted, SourceFitter fitter) {
        List<SourceFit> fitted = fitter.fit(formatted.stream().map(Formatter.Formatted::parts).toList());
        List<Seq2SeqExample> out = new ArrayList<>(formatted.size());
        FitCounts counts = FitCounts.none(fitter.budget().maxTokens());
        for (int i = 0; i < formatted.size(); i++) {
            Formatter.Formatted f = formatted.get(i);
            SourceFit s = fitted.get(i);
            out.add(s.shortened() ? f.withSource(s.source()) : f.example());
            counts = counts.plus(s);
        }
        return new FittedExamples(List.copyOf(out), counts);
    }

    public List<Seq2SeqExample> examples() {
        return examples;
    }

    /** What fitting took out of all the examples. */
    public FitCounts counts() {
        return counts;
    }
}
