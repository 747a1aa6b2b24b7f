package org.dialtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.dialtune.model.Precision;

/**
 * The LM head: logits = h·Wᵀ + b over the vocabulary (W [V, D] in HF's layout, b [V] or none).
 *
 * <p>Why more than a {@link Linear}: a decoding step multiplies a few rows (batch × beams) by the whole
 * table, so it reads all of W from memory every step (bart-base: 154 MB), and libtorch 2.7.1's GEMM
 * (MKL) streams W faster from an input-major [D, V] copy than from [V, D] (2 threads, 8 rows, 768 →
 * 50,265: 15–19 ms against 21–25 ms; README "Performance"). So inference products of fewer than
 * {@link #MAX_COPY_ROWS} rows read such a copy, made at the first of them (≈ 40 ms for bart-base) and
 * dropped whenever the weights may have changed: at any pass with gradients on (training) and when
 * {@link WeightUpdates} has advanced (optimiser steps, merges). Larger products (teacher-forced
 * passes, wide beams) take {@link LinearKernel} as every projection does, and so does everything when
 * a route is forced ({@code DIALTUNE_LINEAR=gemm|conv}: the plain kernels, for comparison). Same float32
 * result up to summation order.
 */
public final class VocabularyHead implements AutoCloseable {
    /**
     * Rows up to which the copy is faster than the kernels {@link LinearKernel} picks: 8 rows 15–19
     * against 21–25 ms, 32 (4 beams × 8 sources) 28–33 against 39 ms; the convolution route, which
     * wins for wide products, lost here (oneDNN reorders the whole table into its blocked layout at
     * every call: 62 ms per 32-row step).
     */
    static final long MAX_COPY_ROWS = 64;
    /** Vocabulary rows transposed per copy operation: whole-table transposes ran 15x slower (cache misses). */
    private static final int COPY_CHUNK = 4096;

    private final NDArray weight;
    private final NDArray bias;
    private final MatmulPrecision precision;
    /** The copy's own manager (not the model's, whose arrays stay those of the checkpoint), or null. */
    private NDManager copyManager;
    private NDArray inputMajor;
    private long copiedAt;

    /** {@code bias} may be null; {@code precision} is the model's (read at every product). */
    public VocabularyHead(NDArray weight, NDArray bias, MatmulPrecision precision) {
        this.weight = weight;
        this.bias = bias;
        this.precision = precision;
    }

    /** Logits [..., V] of hidden states [..., D]. */
    public NDArray logits(NDArray hidden) {
        return IntraOpThreads.full(() -> product(hidden)); // vocabulary-wide: every thread helps
    }

    private NDArray product(NDArray hidden) {
        long rows = hidden.size() / weight.getShape().get(1);
        if (readsCopy(hidden.getDevice(), rows)) return LinearKernel.applyInputMajor(hidden, copy(), bias);
        if (inputMajor != null && JniUtils.isGradMode()) drop(); // training: the weights are about to change
        return LinearKernel.apply(hidden, weight, bias, precision.get());
    }

    private boolean readsCopy(Device device, long rows) {
        return rows < MAX_COPY_ROWS && precision.get() == Precision.FP32 && LinearKernel.routeByShape()
                && Device.Type.CPU.equals(device.getDeviceType()) && !JniUtils.isGradMode();
    }

    /** The input-major copy of the current weights, made anew when they may have changed. */
    private synchronized NDArray copy() {
        long now = WeightUpdates.current();
        if (inputMajor != null && copiedAt == now) return inputMajor;
        drop();
        long vocab = weight.getShape().get(0);
        long dModel = weight.getShape().get(1);
        copyManager = NDManager.newBaseManager(weight.getDevice());
        NDArray copy = copyManager.create(new Shape(dModel, vocab));
        NDScope.unregister(copy); // made outside any NDScope of the caller: the copy outlives the step
        try (NDManager chunks = copyManager.newSubManager()) {
            for (long from = 0; from < vocab; from += COPY_CHUNK) {
                long to = Math.min(vocab, from + COPY_CHUNK);
                NDArray part = weight.get(new NDIndex("{}:{}", from, to));
                part.attach(chunks);
                NDArray transposed = part.transpose(1, 0);
                transposed.attach(chunks);
                copy.set(new NDIndex(":, {}:{}", from, to), transposed);
            }
        }
        inputMajor = copy;
        copiedAt = now;
        return copy;
    }

    /** Frees the copy (training, or weights changed); the next small inference product makes a new one. */
    public synchronized void drop() {
        if (copyManager != null) copyManager.close();
        copyManager = null;
        inputMajor = null;
    }

    /** Frees the copy for good (the model is closed). */
    @Override
    public void close() {
        drop();
    }

    /** Whether a copy is held (tests). */
    synchronized boolean holdsCopy() {
        return inputMajor != null;
    }
}
