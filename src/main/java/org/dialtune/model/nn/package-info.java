/**
 * The blocks model families are built from, each with one job and HF's numerics, configured rather
 * than copied per family: {@link org.dialtune.model.nn.Linear} (y = x·Wᵀ + b, the bias optional, over
 * {@link org.dialtune.model.nn.LinearKernel}, which picks libtorch's kernel and checks it with
 * {@code KernelProbe}); the {@link org.dialtune.model.nn.Norm}s {@link org.dialtune.model.nn.LayerNorm}
 * (BART) and {@link org.dialtune.model.nn.RmsNorm} (T5), eps from the config; {@link
 * org.dialtune.model.nn.Attention} (eager attention with separate keys/values for caching, optional
 * query scaling, heads·head_dim that need not be d_model, any additive mask or position bias); {@link
 * org.dialtune.model.nn.RelativePositionBias} (T5's bucketed relative positions); {@link
 * org.dialtune.model.nn.FeedForward} (dense or gated, its inner activations in the layout the products
 * prefer: {@code ActivationLayout}); {@link org.dialtune.model.nn.EncoderLayer} and
 * {@link org.dialtune.model.nn.DecoderLayer}, whose residual sublayers put the norm where {@link
 * org.dialtune.model.nn.NormPlacement} says (post-LN for BART, pre-LN for T5); {@link
 * org.dialtune.model.nn.KvCache} (incremental decoding over a stack of decoder layers); {@link
 * org.dialtune.model.nn.Masks}; {@link org.dialtune.model.nn.Weights} (a model's tensors by HF name);
 * {@link org.dialtune.model.nn.Activation} (HF {@code ACT2FN} by name), {@link
 * org.dialtune.model.nn.Dropout} (masks drawn in Java, reseeded every training step), the model-wide {@link org.dialtune.model.nn.MatmulPrecision}, the LM head
 * {@link org.dialtune.model.nn.VocabularyHead}, {@link org.dialtune.model.nn.IntraOpThreads} (one intra-op
 * thread for tiny decoding steps), and the autograd-safe helpers {@link org.dialtune.model.nn.Scalars} and
 * {@link org.dialtune.model.nn.Casts}.
 * Every result lives in the manager of the input arrays.
 */
package org.dialtune.model.nn;
