package org.dialtune.common;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long job on stderr: a live bar with rate and ETA on a terminal (the progressbar
 * library), and on a pipe or CI log one plain line every {@code lineEvery} instead of a stream of
 * carriage returns.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final java.util.function.Consumer<String> plain;
    private final String task;
    private final long total;
    private final long lineEveryNanos;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private long done;
    private String message = "";

    private Progress(ProgressBar bar, java.util.function.Consumer<String> plain, String task, long total, Duration lineEvery) {
        this.bar = bar;
        this.plain = plain;
        this.task = task;
        this.total = total;
        this.lineEveryNanos = lineEvery.toNanos();
    }

    /** A bar when stderr is a terminal, else plain lines every 10 s. */
    public static Progress start(String task, long total, String unit) {
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
            return new Progress(bar, null, task, total, Duration.ZERO);
        }
        return plain(task, total, System.err, Duration.ofSeconds(10));
    }

    /** Plain lines to {@code out}; for pipes, and for tests. */
    public static Progress plain(String task, long total, PrintStream out, Duration lineEvery) {
        return lines(task, total, out::println, lineEvery);
    }

    /** Plain lines to any sink (e.g. a command's error writer), at most one per {@code lineEvery} and the last. */
    public static Progress lines(String task, long total, java.util.function.Consumer<String> sink, Duration lineEvery) {
        return new Progress(null, sink, task, total, lineEvery);
    }

    public void stepTo(long n, String extraMessage) {
        done = n;
        message = extraMessage == null ? "" : extraMessage;
        if (bar != null) {
            bar.stepTo(n);
            bar.setExtraMessage(message);
            return;
        }
        long now = System.nanoTime();
        if (now - lastLine >= lineEveryNanos || n == total) {
            lastLine = now;
            plain.accept(line(now));
        }
    }

    String line(long now) {
        double secs = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder(task).append(": ").append(done).append('/').append(total);
        if (total > 0) sb.append(String.format(java.util.Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        if (done > 0 && done < total) {
            long eta = Math.round(secs / done * (total - done));
            sb.append(String.format(java.util.Locale.ROOT, " ETA %d:%02d", eta / 60, eta % 60));
        }
        if (!message.isEmpty()) sb.append(' ').append(message);
        return sb.toString();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
