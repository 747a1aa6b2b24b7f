package org.dialtune.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An encoder-decoder language model as generation, option scoring, training, checkpoints and the CLI
 * see it, whatever its family: it owns its weights (one manager, HF names), which of them train, the
 * precision of its matrix products, and their release ({@link #close}).
 *
 * <p>Shapes: token ids are INT64; {@code attentionMask} is 1 for real tokens, 0 for right padding.
 * Results are created on the manager of the first array argument, so callers control lifetimes by
 * creating inputs in a sub-manager they close; nothing accumulates in {@link #manager()}.
 */
public interface Seq2SeqLm extends AutoCloseable {
    ModelConfig config();

    /** Every tensor by HF state-dict name, in HF order, buffers included: what a checkpoint holds. */
    Map<String, NDArray> tensors();

    /**
     * The trainable tensors by HF name, in HF order (buffers and tensors nothing reads left out), then
     * the adapter tensors (LoRA's A and B), which {@link #tensors()} does not hold.
     */
    Map<String, NDArray> parameters();

    /** The projections by module name, where adapters are put ({@code model.lora}). */
    org.dialtune.model.nn.Projections projections();

    /**
     * Chooses which parameters get gradients (the rest are frozen), e.g. {@code n -> true} for full
     * fine-tuning; returns the chosen ones, by name, for the optimiser.
     */
    Map<String, NDArray> setTrainable(Predicate<String> which);

    /** Sets the type of the projections' and LM head's products ({@link Precision}); weights stay float32. */
    void setPrecision(Precision precision);

    Precision precision();

    Device device();

    /** The manager that owns the weights (to count live arrays, or to put optimiser state beside them). */
    NDManager manager();

    /** Encoder hidden states {@code [B, S, D]} for ids {@code [B, S]}. */
    NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training);

    /** Teacher-forced decoding: logits {@code [B, T, V]} for decoder inputs {@code [B, T]}. */
    NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training);

    /** Encoder and teacher-forced decoder in one call: logits {@code [B, T, V]}. */
    default NDArray forward(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds, boolean training) {
        return decode(encode(inputIds, attentionMask, training), attentionMask, decoderInputIds, training);
    }

    /** Begins incremental decoding over encoder states (cross-attention keys/values computed once). */
    DecoderCache startDecoding(NDArray encoderStates, NDArray attentionMask);

    /**
     * Feeds one token per row ({@code [B]}, INT64) at position {@code cache.length()} and returns the
     * next-token logits {@code [B, V]}; the cache grows by one.
     */
    NDArray decodeStep(DecoderCache cache, NDArray tokens);

    /**
     * Feeds {@code t} tokens per row ({@code [B, t]}, INT64) at positions {@code cache.length()} onward,
     * teacher-forced, and returns the logits {@code [B, t, V]} after each; the cache grows by {@code t}.
     * This default feeds one position at a time; the families feed all {@code t} in one pass.
     */
    default NDArray decodeSteps(DecoderCache cache, NDArray tokens) {
        long t = tokens.getShape().get(1);
        ai.djl.ndarray.NDList steps = new ai.djl.ndarray.NDList();
        for (long i = 0; i < t; i++) {
            steps.add(decodeStep(cache, tokens.get(new ai.djl.ndarray.index.NDIndex(":, {}", i))).expandDims(1));
        }
        return ai.djl.ndarray.NDArrays.concat(steps, 1);
    }

    /** Frees the weights. */
    @Override
    void close();
}
