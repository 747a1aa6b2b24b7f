package org.dialtune.train;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.dialtune.common.SeedMix;

/**
 * Groups the mixture's draws into training batches of distinct examples, with length bucketing.
 *
 * <p>A window takes up to {@code windowBatches} blocks of {@code batchSize} draws, sorts them by
 * length and cuts them into batches, whose order inside the window is then shuffled: similar lengths
 * share a batch (less padding, faster steps) while the task mix of the stream is kept. A window never
 * holds one example twice — each draw takes its task's next example not already in the window (see
 * {@link TaskMixture.Stream#next(java.util.BitSet)}) — so bucketing stays within one pass over each
 * task and no batch repeats an example. The window closes early, before a block that would need more
 * of some task than its pool has left free (so with a few-shot pool of k it spans about one epoch);
 * the next window starts with that block. When not even one block fits — the whole pool is smaller than
 * a batch, or a batch draws a task more often than it has examples — the batch ends at the first draw
 * that would repeat an example, so it is shorter than {@code batchSize} (as the last batch of an epoch
 * is in transformers' Trainer) and still holds only distinct examples.
 *
 * <p>The position is {@code (window, batch in window)}. Windows depend on the ones before them (which
 * examples wait in line), so {@link #at} replays the windows up to the position: exact, and cheap next
 * to a training step.
 */
public final class BatchStream<T> {
    private final TaskMixture<T> mixture;
    private final int batchSize;
    private final int windowBatches;
    private final ToIntFunction<T> length;
    private final long seed;
    private final TaskMixture<T>.Stream draws;

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
        this.draws = mixture.stream(0);
    }

    /**
     * A stream at {@code position}. {@code windowBatches = 1} turns bucketing off (batches are the
     * draws in order).
     */
    public static <T> BatchStream<T> at(TaskMixture<T> mixture, int batchSize, int windowBatches,
                                        ToIntFunction<T> length, long seed, Position position) {
        BatchStream<T> s = new BatchStream<>(mixture, batchSize, windowBatches, length, seed);
        for (long w = 0; w <= position.window(); w++) s.current = s.buildWindow(w);
        s.window = position.window();
        s.batchInWindow = position.batchInWindow();
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
        BitSet[] held = new BitSet[mixture.tasks().size()];
        for (int t = 0; t < held.length; t++) held[t] = new BitSet();
        List<TaskMixture.Draw<T>> taken = new ArrayList<>();
        for (int block = 0; block < windowBatches; block++) {
            int fits = drawsThatFit(held);
            if (fits < batchSize && block > 0) break; // this block opens the next window
            for (int i = 0; i < fits; i++) {
                int t = draws.nextTask();
                TaskMixture.Draw<T> d = draws.next(held[t]);
                held[t].set(d.index());
                taken.add(d);
            }
            if (fits < batchSize) break; // a short batch: the pool cannot fill one without a repeat
        }
        if (taken.size() > batchSize) {
            // stable sort: equal lengths keep their draw order, so the result is deterministic
            taken.sort(Comparator.comparingInt(d -> length.applyAsInt(d.example())));
        }
        List<List<TaskMixture.Draw<T>>> batches = new ArrayList<>();
        for (int i = 0; i < taken.size(); i += batchSize) {
            batches.add(List.copyOf(taken.subList(i, Math.min(taken.size(), i + batchSize))));
        }
        if (batches.size() > 1) Collections.shuffle(batches, new Random(SeedMix.mix(seed, w, 0xBA7C)));
        return batches;
    }

    /** How many of the next {@code batchSize} draws the window can take before one of their tasks runs out. */
    private int drawsThatFit(BitSet[] held) {
        int[] more = new int[held.length];
        for (int i = 0; i < batchSize; i++) {
            int t = mixture.taskOf(draws.position() + i);
            if (held[t].cardinality() + more[t] == mixture.size(t)) return i;
            more[t]++;
        }
        return batchSize;
    }
}
