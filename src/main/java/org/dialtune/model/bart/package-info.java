/**
 * The BART family: Hugging Face {@code BartForConditionalGeneration} re-implemented with DJL NDArray
 * operations (PyTorch engine), numerically equal to it in float32 (parity tests against golden
 * fixtures and the interop suite against transformers 5.18).
 *
 * <ul>
 *   <li>{@link org.dialtune.model.bart.BartFamily} — what the registry sees ({@code model_type: bart}).</li>
 *   <li>{@link org.dialtune.model.bart.BartConfig} — config.json's BART fields, HF defaults.</li>
 *   <li>{@link org.dialtune.model.bart.BartLayout} — the one list of HF tensor names and shapes for a
 *       config, and name predicates ({@code isBias}, {@code isLayerNorm}, {@code isParameter}).</li>
 *   <li>{@link org.dialtune.model.bart.BartModel} — weights as plain NDArrays by HF name, forward pass,
 *       incremental decoding (self-attention keys/values appended per step, cross-attention
 *       keys/values computed once: {@code model.nn.KvCache}); post-LN ({@code NormPlacement.POST})
 *       {@code EncoderLayer} and {@code DecoderLayer} from the blocks of {@code model.nn}.</li>
 *   <li>{@link org.dialtune.model.bart.BartInitializer} — HF {@code _init_weights}, seeded per tensor.</li>
 * </ul>
 *
 * <p>Tied (the default), {@code lm_head.weight} and the two {@code embed_tokens.weight} aliases are
 * {@code model.shared.weight}: accepted on load as equal copies, never written. Untied
 * ({@code tie_word_embeddings: false}) they are three tensors of their own, as in transformers 5, and
 * {@code model.shared.weight} is kept but not read or trained; {@code final_logits_bias} is a buffer,
 * saved but never trained.
 *
 * <p>Nothing outside this package names these classes but the registry
 * ({@code org.dialtune.model.ModelFamilies}); {@code PackageLayersTest} checks it.
 */
package org.dialtune.model.bart;
