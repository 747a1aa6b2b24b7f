package org.dialtune.model;

import ai.djl.ndarray.NDArray;

/** Keys and values kept between incremental decoding steps, so past tokens are not recomputed. */
public interface DecoderCache extends AutoCloseable {
    /** Number of decoder positions already fed. */
    int length();

    /**
     * Re-orders (and may repeat or drop) the batch rows: row {@code i} of the result is row
     * {@code rows[i]} of the cache, for self- and cross-attention alike. Beam search uses it to
     * follow the surviving beams and to expand a batch to {@code batch * numBeams} rows.
     */
    void selectRows(NDArray rows);

    /**
     * A new cache whose row {@code i} is row {@code rows[i]} of this one, which stays as it is: the
     * decoding of a shared prefix, continued separately by several batches of rows (option scoring).
     * The fork may share this cache's arrays: close it before this one.
     */
    DecoderCache fork(NDArray rows);

    @Override
    void close();
}
