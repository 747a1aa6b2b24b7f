package org.dialtune.train;

import java.util.Locale;
import org.dialtune.common.UserError;

/**
 * Learning rate as a function of the number of optimiser steps already taken, with the exact
 * formulas of Hugging Face's {@code get_{constant,linear,cosine}_schedule_with_warmup} (LambdaLR):
 * the first update uses {@code lrAt(0)}, which is 0 when there is a warm-up.
 */
public record LrSchedule(Kind kind, double peakLr, long warmupSteps, long totalSteps) {
    public enum Kind {
        CONSTANT, LINEAR, COSINE;

        public static Kind parse(String s, String where) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ": unknown schedule \"" + s + "\" (use constant, linear or cosine)");
            }
        }
    }

    public LrSchedule {
        if (!(peakLr > 0) || Double.isInfinite(peakLr)) throw new UserError("learning rate must be > 0, got " + peakLr);
        if (warmupSteps < 0) throw new UserError("warm-up steps must be >= 0, got " + warmupSteps);
        if (totalSteps < 1) throw new UserError("total steps must be >= 1, got " + totalSteps);
    }

    /** The learning rate for the update that follows {@code step} completed updates. */
    public double lrAt(long step) {
        return peakLr * multiplier(step);
    }

    double multiplier(long step) {
        if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
        if (kind == Kind.CONSTANT) return 1.0;
        double span = Math.max(1, totalSteps - warmupSteps);
        if (kind == Kind.LINEAR) return Math.max(0.0, (totalSteps - step) / span);
        double progress = (step - warmupSteps) / span;
        return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
