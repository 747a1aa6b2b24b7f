package org.dialtune.model.nn;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * libtorch's intra-op thread count around stretches of tiny operations.
 *
 * <p>Why: libtorch opens a parallel (OpenMP) region, or lets MKL split a GEMM, even for products and
 * norms of a few hundred values, and waking a second thread then costs more than the work. Through DJL
 * on the 2-core development VM: {@code addmm} [8, 32]·[32, 32] took 14 µs with 2 threads against 2.3 µs
 * with one, a decoder block's FFN and norm on 8 rows of width 32 77 against 45 µs; the two break even
 * near rows·d_model² = 2^18–2^19 (width 256 on 8 rows: 217 against 203 µs). So a decoding loop whose steps
 * are that small runs on one thread ({@link #narrowed}), while its few vocabulary-wide operations (the LM
 * head, argmax or top-k over the vocabulary), which do gain from every thread, take the full count back
 * ({@link #full}). tiny-bart greedy generation in one process, calls alternated: 72–78 ms a call
 * against 79–86 ms at 2 threads throughout (README "Performance").
 *
 * <p>The count is the calling thread's (OpenMP's per-thread setting, which libtorch's
 * {@code set_num_threads} writes); changing it costs about a microsecond, and the first parallel region
 * after a raise wakes the pool again (tens of microseconds), so it is changed per loop and per
 * vocabulary-wide operation, not per layer.
 */
public final class IntraOpThreads {
    /** Decoding steps with rows·d_model² below this run their layers on one thread (measured, see above). */
    static final long NARROW_BELOW = 1L << 18;

    /** The count to restore, while the calling thread runs narrowed; 0 otherwise. */
    private static final ThreadLocal<int[]> fullCount = ThreadLocal.withInitial(() -> new int[1]);

    private IntraOpThreads() {}

    /** Whether decoding steps of {@code rows} rows through layers of width {@code dModel} are tiny enough to narrow. */
    public static boolean tinySteps(long rows, long dModel) {
        return rows * dModel * dModel < NARROW_BELOW;
    }

    /**
     * One intra-op thread on the calling thread until the scope closes, when {@code narrow} (and more
     * than one runs now); otherwise a scope that changes nothing. Scopes do not nest: an inner one
     * changes nothing.
     */
    public static Scope narrowed(boolean narrow) {
        int[] saved = fullCount.get();
        if (!narrow || saved[0] != 0) return () -> {};
        int threads = JniUtils.getNumThreads();
        if (threads <= 1) return () -> {};
        JniUtils.setNumThreads(1);
        saved[0] = threads;
        return () -> {
            saved[0] = 0;
            JniUtils.setNumThreads(threads);
        };
    }

    /** {@code work} with the full thread count when the calling thread runs narrowed; as is otherwise. */
    public static <T> T full(Supplier<T> work) {
        int threads = fullCount.get()[0];
        if (threads == 0) return work.get();
        JniUtils.setNumThreads(threads);
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(1);
        }
    }

    /** Whether the calling thread runs narrowed now (tests). */
    static boolean isNarrowed() {
        return fullCount.get()[0] != 0;
    }

    /** A narrowed stretch; closing it restores the count. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
