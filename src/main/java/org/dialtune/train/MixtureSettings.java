package org.dialtune.train;

import java.util.Locale;
import org.dialtune.common.UserError;

/**
 * How tasks are weighted when they train together.
 *
 * <ul>
 *   <li>{@code proportional}: a task is drawn with probability proportional to its size, with sizes
 *       counted up to {@code cap} (T5's examples-proportional mixing; {@code cap = 0}: no cap).
 *   <li>{@code temperature}: proportional to {@code min(size, cap)^(1/T)}; T = 1 is proportional, large
 *       T approaches uniform.
 *   <li>{@code uniform}: every task equally often.
 * </ul>
 * The cap only changes how often a task is drawn, never which of its examples exist.
 */
public record MixtureSettings(Mode mode, int cap, double temperature) {
    public enum Mode { PROPORTIONAL, TEMPERATURE, UNIFORM }

    public static final MixtureSettings PROPORTIONAL = new MixtureSettings(Mode.PROPORTIONAL, 0, 1.0);

    public MixtureSettings {
        if (cap < 0) throw new UserError("mixture cap must be >= 0 (0 = no cap), got " + cap);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new UserError("mixture temperature must be > 0, got " + temperature);
        }
    }

    public static Mode parseMode(String s, String where) {
        try {
            return Mode.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError(where + ": unknown mixture \"" + s + "\" (use proportional, temperature or uniform)");
        }
    }

    /** The unnormalised sampling weight of a task with {@code size} examples. */
    double weight(int size) {
        double capped = cap > 0 ? Math.min(size, cap) : size;
        return switch (mode) {
            case PROPORTIONAL -> capped;
            case TEMPERATURE -> Math.pow(capped, 1.0 / temperature);
            case UNIFORM -> 1.0;
        };
    }
}
