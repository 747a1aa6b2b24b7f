package org.dialtune.eval.report.doc;

import java.util.Locale;
import org.dialtune.eval.stats.Interval;

/** How reports print numbers: fixed decimals, explicit signs on gains, "n/a" for undefined values. */
public final class Numbers {
    public static final String NA = "n/a";

    private Numbers() {}

    public static String score(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : NA;
    }

    public static String signed(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%+.3f", x) : NA;
    }

    public static String percent(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%+.1f%%", x) : NA;
    }

    public static String interval(Interval ci) {
        return ci == null ? NA : "[" + score(ci.low()) + ", " + score(ci.high()) + "]";
    }

    public static String signedInterval(Interval ci) {
        return ci == null ? NA : "[" + signed(ci.low()) + ", " + signed(ci.high()) + "]";
    }

    public static String percentInterval(Interval ci) {
        return ci == null ? NA : "[" + percent(ci.low()) + ", " + percent(ci.high()) + "]";
    }

    /** p-values to 4 decimals; below that, a bound, since Monte-Carlo p-values are only that precise. */
    public static String pValue(double p) {
        if (!Double.isFinite(p)) return NA;
        return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    public static String integer(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.0f", x) : NA;
    }
}
