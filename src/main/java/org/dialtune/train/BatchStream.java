package org.dialtune.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Groups the mixture's draws into training batches with length bucketing: a window of
 * {@code batchSize × windowBatches} consecutive draws is sorted by length and cut into batches, whose
 * order inside the window is then shuffled. Similar lengths share a batch (less padding, faster
 * steps) while the task mix of the stream is kept.
 *
 * <p>The position is {@code (window, batch in window)}; {@link #at} rebuilds only that one window from
 * the mixture (which itself replays by draw count), so resuming is exact and cheap.
 */
public final class BatchStream<T> {
    private final TaskMixture<T> mixture;
    private final int batchSize;
    private final int windowBatches;
    private final ToIntFunction<T> length;
    private final long seed;

    private long window;
    private int batchInWindow;
    private List<List<TaskMixture.Draw<T>>> current;

    /** Position of a batch stream, for trainer checkpoints. */
    public record Position(long window, int batchInWindow) {}

    private BatchStream(TaskMixture<T> mixture, int batchSize, int windowBatches, ToIntFunction<T> length, long seed) {
        if (batchSize < 1 || windowBatches < 1) throw new IllegalArgumentException("batch size and window must be >= 1");
        this.mixture = mixture;
        this.batchSize = batchSize;
        this.windowBatches = windowBatches;
        this.length = length;
        this.seed = seed;
    }

    /**
     * A stream at {@code position}. {@code windowBatches = 1} turns bucketing off (batches are the
     * draws in order).
     */
    public static <T> BatchStream<T> at(TaskMixture<T> mixture, int batchSize, int windowBatches,
                                        ToIntFunction<T> length, long seed, Position position) {
        BatchStream<T> s = new BatchStream<>(mixture, batchSize, windowBatches, length, seed);
        s.window = position.window();
        s.batchInWindow = position.batchInWindow();
        s.current = s.buildWindow(s.window);
        return s;
    }

    /** The position of the next batch {@link #next()} returns. */
    public Position position() {
        return new Position(window, batchInWindow);
    }

    public List<TaskMixture.Draw<T>> next() {
        if (batchInWindow == current.size()) {
            window++;
            batchInWindow = 0;
            current = buildWindow(window);
        }
        return current.get(batchInWindow++);
    }

    private List<List<TaskMixture.Draw<T>>> buildWindow(long w) {
        int n = batchSize * windowBatches;
        List<TaskMixture.Draw<T>> draws = mixture.stream(w * n).next(n);
        if (windowBatches > 1) {
            // stable sort: equal lengths keep their draw order, so the result is deterministic
            draws = new ArrayList<>(draws);
            draws.sort(Comparator.comparingInt(d -> length.applyAsInt(d.example())));
        }
        List<List<TaskMixture.Draw<T>>> batches = new ArrayList<>();
        for (int i = 0; i < n; i += batchSize) batches.add(List.copyOf(draws.subList(i, i + batchSize)));
        if (windowBatches > 1) Collections.shuffle(batches, new Random(TaskMixture.mix(seed, w, 0xBA7C)));
        return batches;
    }
}
