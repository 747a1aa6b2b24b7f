package org.dialtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Token sequences of different lengths, right-padded to the longest, with the matching attention
 * mask (1 = token, 0 = padding): the shape every model call takes.
 */
public final class TokenBatch {
    private final long[][] ids;
    private final long[][] mask;
    private final int[] lengths;

    private TokenBatch(long[][] ids, long[][] mask, int[] lengths) {
        this.ids = ids;
        this.mask = mask;
        this.lengths = lengths;
    }

    /** Pads {@code sequences} on the right with {@code padId}; an empty list is not a batch. */
    public static TokenBatch pad(List<long[]> sequences, long padId) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("no sequences to batch");
        int width = 0;
        for (long[] s : sequences) width = Math.max(width, s.length);
        if (width == 0) throw new IllegalArgumentException("all sequences are empty");
        int rows = sequences.size();
        long[][] ids = new long[rows][width];
        long[][] mask = new long[rows][width];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            long[] s = sequences.get(r);
            lengths[r] = s.length;
            java.util.Arrays.fill(ids[r], padId);
            System.arraycopy(s, 0, ids[r], 0, s.length);
            java.util.Arrays.fill(mask[r], 0, s.length, 1L);
        }
        return new TokenBatch(ids, mask, lengths);
    }

    public int rows() {
        return ids.length;
    }

    public int width() {
        return ids[0].length;
    }

    /** Unpadded length of row {@code r}. */
    public int length(int r) {
        return lengths[r];
    }

    /** Padded ids {@code [rows, width]}, INT64, on {@code manager}. */
    public NDArray ids(NDManager manager) {
        return manager.create(ids);
    }

    /** Attention mask {@code [rows, width]}, INT64 (1 = token, 0 = padding), on {@code manager}. */
    public NDArray mask(NDManager manager) {
        return manager.create(mask);
    }

    /** A copy of padded row {@code r}. */
    public long[] row(int r) {
        return ids[r].clone();
    }
}
