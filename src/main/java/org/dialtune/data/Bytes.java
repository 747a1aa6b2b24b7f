package org.dialtune.data;

import java.util.Locale;

/** Byte counts for people. */
final class Bytes {
    private Bytes() {}

    static String human(long bytes) {
        if (bytes < 1000) return bytes + " B";
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
