package org.dialtune.model;

import ai.djl.ndarray.NDArray;

/**
 * An encoder-decoder language model as generation, option scoring and training see it. BART
 * implements it; the search and scoring code depends only on this interface.
 *
 * <p>Shapes: token ids are INT64; {@code attentionMask} is 1 for real tokens, 0 for right padding.
 * Results are created on the manager of the first array argument, so callers control lifetimes by
 * creating inputs in a sub-manager they close.
 */
public interface Seq2SeqLm {
    BartConfig config();

    /** Encoder hidden states {@code [B, S, D]} for ids {@code [B, S]}. */
    NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training);

    /** Teacher-forced decoding: logits {@code [B, T, V]} for decoder inputs {@code [B, T]}. */
    NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training);

    /** Begins incremental decoding over encoder states (cross-attention keys/values computed once). */
    DecoderCache startDecoding(NDArray encoderStates, NDArray attentionMask);

    /**
     * Feeds one token per row ({@code [B]}, INT64) at position {@code cache.length()} and returns the
     * next-token logits {@code [B, V]}; the cache grows by one.
     */
    NDArray decodeStep(DecoderCache cache, NDArray tokens);
}
