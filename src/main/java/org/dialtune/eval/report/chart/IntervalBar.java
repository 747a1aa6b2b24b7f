package org.dialtune.eval.report.chart;

/** One bar: a label, its value, and the confidence interval drawn as a whisker (NaN: no whisker). */
public record IntervalBar(String label, double value, double low, double high) {
    public static IntervalBar withoutInterval(String label, double value) {
        return new IntervalBar(label, value, Double.NaN, Double.NaN);
    }

    public boolean hasInterval() {
        return Double.isFinite(low) && Double.isFinite(high);
    }
}
