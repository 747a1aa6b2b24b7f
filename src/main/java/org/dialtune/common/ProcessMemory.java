package org.dialtune.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (Java heap and native libtorch memory together), from /proc. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set size in MiB, or -1 where /proc is not available. */
    public static long rssMb() {
        return statusKb("VmRSS:") / 1024;
    }

    /** Peak resident set size in MiB, or -1 where /proc is not available. */
    public static long peakRssMb() {
        return statusKb("VmHWM:") / 1024;
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: memory is simply not reported
        }
        return -1024;
    }
}
