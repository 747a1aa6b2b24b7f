/**
 * The seq2seq models, family-neutral: what training, evaluation, generation, option scoring, the
 * pipeline and the CLI see of a model, whatever its architecture. Each family (Hugging Face
 * {@code model_type}) lives in its own subpackage, built from the blocks of {@code model.nn}, and is
 * reached only through {@link org.dialtune.model.ModelFamilies}.
 *
 * <h2>What is where</h2>
 * <ul>
 *   <li>{@link org.dialtune.model.Seq2SeqLm} / {@link org.dialtune.model.DecoderCache} — a model: its
 *       tensors by HF name, trainability, precision and closing, the forward pass ({@code encode},
 *       {@code decode}) and incremental decoding ({@code startDecoding}/{@code decodeStep}, cache rows
 *       re-ordered by {@code selectRows} for beams).</li>
 *   <li>{@link org.dialtune.model.ModelConfig} — the config fields read outside a family: special ids,
 *       vocabulary, width, the position limit (or {@code NO_POSITION_LIMIT}), config.json's generation
 *       defaults; a family's config class extends {@link org.dialtune.model.FamilyConfig}, which reads
 *       them under the family's defaults.</li>
 *   <li>{@link org.dialtune.model.ModelFamily} — one family: config parser, tensor layout (names and
 *       shapes in HF order), model factory from a {@link org.dialtune.model.TensorSource}, HF
 *       {@code _init_weights}, AdamW's decay rule, the tied aliases a checkpoint may hold.</li>
 *   <li>{@link org.dialtune.model.ModelFamilies} — the registry by {@code model_type}; adding a family is
 *       a new package and one line there. {@code PackageLayersTest} fails when code outside a family's
 *       package (and the registry) names it.</li>
 *   <li>{@code model.bart} — BART ({@code BartForConditionalGeneration}): config, layout, model,
 *       initialiser, decoder cache, layers, {@code BartFamily}.</li>
 *   <li>{@code model.nn} — the blocks families are built from ({@code Linear} over
 *       {@code LinearKernel}, {@code LayerNorm}, {@code Attention}, {@code FeedForward},
 *       {@code Activation}, {@code Dropout}) and the autograd-safe helpers ({@code Scalars},
 *       {@code Casts}).</li>
 *   <li>{@link org.dialtune.model.TokenCrossEntropy} — HF's loss (mean over label tokens, ignore -100,
 *       label smoothing) and {@code shift_tokens_right}; {@link org.dialtune.model.ModelFootprint} —
 *       refuses a config whose weights cannot fit in memory before anything is allocated.</li>
 *   <li>{@code model.checkpoint} — {@code Checkpoint} (load/save of any family in HF layout, atomic;
 *       {@code config.json}'s {@code model_type} picks the family), hand-written safetensors reader
 *       ({@code SafeTensorsFile}: F32/F16/BF16 widened in Java, sharded via {@code CheckpointTensors})
 *       and writer ({@code SafeTensorsWriter}: HF header), and {@code TokenizerVocab}.</li>
 *   <li>{@code model.tokenizer} — {@code Seq2SeqTokenizer}: any HF {@code tokenizer.json}, its special
 *       tokens read from the file (the post-processor's template gives BOS, if any, and EOS).</li>
 *   <li>{@code model.generate}, {@code model.score} — search and rank classification over any
 *       {@code Seq2SeqLm}.</li>
 *   <li>{@code model.trim} — vocabulary trimming: a checkpoint cut down to the tokens some tasks' data
 *       uses ({@code CoveredTexts}), its tokenizer rewritten so that data encodes the same
 *       ({@code TokenizerTrim}), its token rows taken by the family's layout ({@code VocabularyTrimmer}).</li>
 * </ul>
 *
 * <h2>HF names</h2>
 * Tensors are named exactly as HF's state-dict keys, e.g. {@code model.shared.weight},
 * {@code model.encoder.layers.0.self_attn.q_proj.weight}; linear weights are {@code [out, in]}. A
 * family's layout is the one place that spells them; loading, saving, initialisation, optimisers and
 * parameter selection all go through it. Tied tables (BART's {@code lm_head.weight} and
 * {@code embed_tokens.weight}) are accepted on load as equal copies, never written.
 *
 * <h2>Freezing, bias-only training, LoRA</h2>
 * {@code model.setTrainable(predicate)} chooses by name which parameters get gradients; the training
 * methods ({@code train.TrainingMethod}) build the predicate from the family's view of the names
 * ({@code ModelFamily.isEmbedding}, {@code blockIndex}, {@code isBias}, {@code loraTargets}) and give
 * the returned map to {@code AdamW}. LoRA ({@code model.lora}): every model registers its projections
 * by module name in {@code nn.Projections}; {@code Lora.attach} puts a {@code nn.LowRankUpdate} into the
 * chosen projections' {@code nn.Linear} adapter slot (every projection call goes through
 * {@code Linear.apply}, which adds {@code dropout(x)·Aᵀ·Bᵀ·alpha/r}) and its A/B arrays join
 * {@code parameters()} as {@code <module>.lora_A.weight} / {@code .lora_B.weight}, never
 * {@code tensors()}; {@code Lora.merge} folds them into the weights; {@code PeftAdapter} reads and
 * writes PEFT 0.21's adapter directories.
 *
 * <h2>Kernels and precision</h2>
 * {@code nn.Linear.apply} goes through {@code nn.LinearKernel}: large products on CPU run as 1×1
 * oneDNN convolutions (oneMKL's GEMM uses AVX2 on AMD CPUs), each shape class first checked against
 * the GEMM on the machine by {@code nn.KernelProbe}; everything else as libtorch's addmm (2-D input,
 * so the bias is fused). {@link org.dialtune.model.Precision} FP16 multiplies float16 copies (mixed
 * precision, float32 weights); {@code nn.Casts} makes those copies.
 *
 * <h2>DJL traps met here (beyond ../shared/docs/djl-notes.md)</h2>
 * <ul>
 *   <li>{@code x.mul(2f)} (also div, pow) with a plain number under autograd: the number becomes a
 *       Java-owned tensor freed after the op while libtorch's backward still reads it — use
 *       {@code nn.Scalars}.</li>
 *   <li>{@code toType} runs under libtorch's NoGradGuard: a cast value has no gradient path — use
 *       {@code nn.Casts.to}.</li>
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
 * accumulates in {@link org.dialtune.model.Seq2SeqLm#manager()}.
 */
package org.dialtune.model;
