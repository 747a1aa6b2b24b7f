/**
 * The seq2seq model: Hugging Face BART re-implemented with DJL NDArray operations (PyTorch engine),
 * numerically equal to {@code BartForConditionalGeneration} in float32.
 *
 * <h2>What is where</h2>
 * <ul>
 *   <li>{@link org.dialtune.model.Seq2SeqLm} / {@link org.dialtune.model.DecoderCache} — the interface
 *       generation, option scoring and training code against.</li>
 *   <li>{@link org.dialtune.model.BartModel} — the model: weights as plain NDArrays by HF name, forward
 *       pass ({@code encode}, {@code decode}, {@code decoderHiddenStates}, {@code logits}), incremental
 *       decoding ({@code startDecoding}/{@code decodeStep}, self-attention keys/values appended per step,
 *       cross-attention keys/values computed once, {@code selectRows} for beams). Built from
 *       {@code Attention}, {@code EncoderLayer}, {@code DecoderLayer}, {@code Linear}, {@code LayerNorm},
 *       {@code Activation}, {@code Dropout} (package-private, one job each).</li>
 *   <li>{@link org.dialtune.model.BartLayout} — the one list of HF tensor names and shapes for a config,
 *       and name predicates ({@code isBias}, {@code isLayerNorm}, {@code isParameter}).</li>
 *   <li>{@link org.dialtune.model.BartInitializer} — HF {@code _init_weights}, seeded per tensor.</li>
 *   <li>{@link org.dialtune.model.TokenCrossEntropy} — HF's loss (mean over label tokens, ignore -100,
 *       label smoothing) and {@code shift_tokens_right}.</li>
 *   <li>{@code model.checkpoint} — {@code BartCheckpoint} (load/save in HF layout, atomic),
 *       hand-written safetensors reader ({@code SafeTensorsFile}: F32/F16/BF16 widened in Java, sharded
 *       via {@code CheckpointTensors}) and writer ({@code SafeTensorsWriter}: HF header), and
 *       {@code TokenizerVocab}.</li>
 *   <li>{@code org.dialtune.train.AdamW} / {@code Gradients} — torch AdamW with exportable state,
 *       global-norm clipping, gradient zeroing.</li>
 * </ul>
 *
 * <h2>HF name mapping</h2>
 * Names are exactly HF's state-dict keys, e.g. {@code model.shared.weight},
 * {@code model.encoder.layers.0.self_attn.q_proj.weight}, {@code model.decoder.layers.1.encoder_attn.v_proj.bias},
 * {@code model.decoder.layernorm_embedding.weight}, {@code final_logits_bias} (a buffer, never trained).
 * Linear weights are {@code [out, in]}. Tied (the default), {@code lm_head.weight} and the two
 * {@code embed_tokens.weight} aliases are {@code model.shared.weight}: accepted on load as equal copies,
 * never written. Untied ({@code tie_word_embeddings: false}) they are three tensors of their own, as in
 * transformers 5, and {@code model.shared.weight} is kept but not read or trained.
 *
 * <h2>Freezing, bias-only training, LoRA</h2>
 * {@code model.setTrainable(predicate)} chooses by name which parameters get gradients (e.g.
 * {@code n -> !n.startsWith("model.encoder.")} to freeze the encoder, {@code BartLayout::isBias} for
 * BitFit); give the returned map to {@code AdamW}. For LoRA, wrap the chosen projections'
 * {@code Linear} (every projection call goes through {@code Linear.apply}) with an adapter that adds
 * {@code x·Aᵀ·Bᵀ·scale}, and register the adapter's A/B arrays under new names next to the HF ones.
 *
 * <h2>Kernels and precision</h2>
 * {@code Linear.apply} goes through {@link org.dialtune.model.LinearKernel}: large products on CPU run as
 * 1×1 oneDNN convolutions (oneMKL's GEMM uses AVX2 on AMD CPUs), each shape class first checked against
 * the GEMM on the machine by {@link org.dialtune.model.KernelProbe}; everything else as libtorch's addmm
 * (2-D input, so the bias is fused). {@link org.dialtune.model.Precision} FP16 multiplies float16 copies
 * (mixed precision, float32 weights); {@link org.dialtune.model.Casts} makes those copies.
 *
 * <h2>DJL traps met here (beyond ../shared/docs/djl-notes.md)</h2>
 * <ul>
 *   <li>{@code x.mul(2f)} (also div, pow) with a plain number under autograd: the number becomes a
 *       Java-owned tensor freed after the op while libtorch's backward still reads it — use
 *       {@link org.dialtune.model.Scalars}.</li>
 *   <li>{@code toType} runs under libtorch's NoGradGuard: a cast value has no gradient path — use
 *       {@code Casts.to}.</li>
 *   <li>{@code getShape().getShape()} is the array's own cached {@code long[]}: writing to it changes
 *       what DJL believes the array's shape is — clone it first.</li>
 *   <li>An op's result belongs to the manager of its first operand: a view of a weight
 *       ({@code weight.reshape(...)}) made per call piles up in the model's manager unless attached
 *       to the batch's.</li>
 *   <li>DJL's {@code linear} is the C++ frontend's, which for 3-D input does matmul then
 *       {@code add_} (no fused addmm); the tokenizer's {@code Encoding} copies every token string and
 *       span into Java (we read ids straight from {@code TokenizersLibrary}).</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Every result and intermediate lives in the manager of the caller's input arrays (use a per-batch
 * sub-manager and close it); decoding keeps its cache in a sub-manager closed with the cache; nothing
 * accumulates in {@link org.dialtune.model.BartModel#manager()}.
 */
package org.dialtune.model;
