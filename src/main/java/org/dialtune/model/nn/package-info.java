/**
 * The blocks model families are built from, each with one job and HF's numerics: {@link
 * org.dialtune.model.nn.Linear} (y = x·Wᵀ + b over {@link org.dialtune.model.nn.LinearKernel}, which
 * picks libtorch's kernel and checks it with {@code KernelProbe}), {@link
 * org.dialtune.model.nn.LayerNorm}, {@link org.dialtune.model.nn.Attention} (eager scaled dot-product
 * attention with separate keys/values for caching), {@link org.dialtune.model.nn.FeedForward}, {@link
 * org.dialtune.model.nn.Activation} (HF {@code ACT2FN} by name), {@link org.dialtune.model.nn.Dropout},
 * the model-wide {@link org.dialtune.model.nn.MatmulPrecision}, and the autograd-safe helpers {@link
 * org.dialtune.model.nn.Scalars} and {@link org.dialtune.model.nn.Casts}. Every result lives in the
 * manager of the input arrays.
 */
package org.dialtune.model.nn;
