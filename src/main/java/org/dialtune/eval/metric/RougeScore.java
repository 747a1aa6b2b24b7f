package org.dialtune.eval.metric;

/** Precision, recall and F-measure of one prediction against one reference, each in [0, 1]. */
public record RougeScore(double precision, double recall, double fmeasure) {
    public static final RougeScore ZERO = new RougeScore(0, 0, 0);

    /** rouge_score's {@code scoring.fmeasure}, in the same floating-point order so results match bit for bit. */
    static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
