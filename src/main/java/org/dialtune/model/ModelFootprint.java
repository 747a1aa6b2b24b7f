package org.dialtune.model;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.dialtune.common.UserError;

/**
 * The bytes a model's float32 weights take, estimated from its config (each family's config lists the
 * parts) before anything is allocated, and the refusal of a model that cannot fit in memory. Without it a config with, say,
 * {@code encoder_layers: 1000000} made dialtune list sixteen million tensors and allocate for minutes
 * before running out of memory.
 *
 * <p>The budget is the machine's physical memory (the container's limit where there is one: the JVM
 * reports that), or {@code DIALTUNE_MEMORY_LIMIT} / {@code -Ddialtune.memory_limit} (bytes, or a size
 * such as {@code 64g}). Only the weights are counted: what does not fit even once cannot run at all,
 * and training's extra copies (gradients, AdamW moments) depend on what is trained.
 */
public final class ModelFootprint {
    private ModelFootprint() {}

    /** Where the weights go, by the config field that counts them (a family's config lists them). */
    public record Part(String field, String what, double parameters) {}

    /** A refusal: the field to name and what to say about it (the config adds its file). */
    public record Refusal(String field, String message) {}

    /** The memory available for a model, and where that number came from (said in refusals). */
    public record Budget(double bytes, String source) {
        public static Budget current() {
            String override = System.getProperty("dialtune.memory_limit", System.getenv("DIALTUNE_MEMORY_LIMIT"));
            if (override != null && !override.isBlank()) {
                return new Budget(parseSize(override), "DIALTUNE_MEMORY_LIMIT");
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Budget(os.getTotalMemorySize(), "physical memory; DIALTUNE_MEMORY_LIMIT=SIZE overrides");
        }
    }

    /** float32 bytes of every weight of the model. */
    public static double weightBytes(List<Part> parts) {
        double total = 0;
        for (Part p : parts) total += 4 * p.parameters();
        return total;
    }

    /** null when the weights fit in {@code budget}, else the field of the largest part and why. */
    public static Refusal refusal(List<Part> parts, Budget budget) {
        double total = weightBytes(parts);
        if (total <= budget.bytes()) return null;
        Part largest = null;
        for (Part p : parts) if (largest == null || p.parameters() > largest.parameters()) largest = p;
        return new Refusal(largest.field(), String.format(Locale.ROOT, "makes the model too large: %s need %s of"
                + " float32 weights, %s in all, more than the %s of memory here (%s)", largest.what(),
                size(4 * largest.parameters()), size(total), size(budget.bytes()), budget.source()));
    }

    static String size(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        while (bytes >= 1000 && u < units.length - 1) {
            bytes /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    }

    /** Bytes, or a number with k, m, g or t (powers of 1024), e.g. {@code 64g}. */
    static double parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double scale = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String number = scale == 1 ? t : t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(number) * scale;
            if (v > 0 && Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("DIALTUNE_MEMORY_LIMIT / dialtune.memory_limit: \"" + text + "\" is not a size (give"
                + " bytes or e.g. 512m, 64g)");
    }
}
