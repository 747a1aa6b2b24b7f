package org.dialtune.eval.stats;

/** A confidence interval [low, high] at {@code level} (e.g. 0.95). */
public record Interval(double low, double high, double level) {
    public boolean contains(double x) {
        return low <= x && x <= high;
    }
}
