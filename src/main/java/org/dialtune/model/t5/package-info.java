/**
 * The T5 family: Hugging Face {@code T5ForConditionalGeneration} (T5 v1.0, T5 v1.1, Flan-T5) as
 * transformers 5.18 computes it, built from the blocks of {@code model.nn} (pre-LN RMS-norm layers, no
 * biases, unscaled attention with a relative position bias, dense or gated feed-forward) and checked
 * against golden outputs of checkpoints transformers wrote (src/test/resources/org/dialtune/model/t5).
 *
 * <ul>
 *   <li>{@link org.dialtune.model.t5.T5Family} — what the registry sees ({@code model_type: t5}).</li>
 *   <li>{@link org.dialtune.model.t5.T5Config} — config.json's T5 fields and transformers 5's reading
 *       of the head ({@code scale_decoder_outputs}, else {@code tie_word_embeddings}).</li>
 *   <li>{@link org.dialtune.model.t5.T5Layout} — the HF tensor names and shapes.</li>
 *   <li>{@link org.dialtune.model.t5.T5Model} — the forward pass and incremental decoding.</li>
 *   <li>{@link org.dialtune.model.t5.T5Initializer} — HF {@code _init_weights}, seeded per tensor.</li>
 * </ul>
 *
 * <p>Nothing outside this package names these classes but the registry
 * ({@code org.dialtune.model.ModelFamilies}).
 */
package org.dialtune.model.t5;
