package org.dialtune.eval.stats;

/** A confidence interval [low, high] at {@code level} (e.g. 0.95), computed from {@code n} independent values. */
public record Interval(double low, double high, double level, int n) {
    public boolean contains(double x) {
        return low <= x && x <= high;
    }
}
