package org.dialtune.model.t5;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dialtune.model.TensorSource;
import org.dialtune.model.nn.Activation;
import org.dialtune.model.nn.Attention;
import org.dialtune.model.nn.DecoderLayer;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.nn.EncoderLayer;
import org.dialtune.model.nn.FeedForward;
import org.dialtune.model.nn.KvCache;
import org.dialtune.model.nn.LayeredSeq2SeqLm;
import org.dialtune.model.nn.Linear;
import org.dialtune.model.nn.VocabularyHead;
import org.dialtune.model.nn.Masks;
import org.dialtune.model.nn.MatmulPrecision;
import org.dialtune.model.nn.NormPlacement;
import org.dialtune.model.nn.RelativePositionBias;
import org.dialtune.model.nn.RmsNorm;
import org.dialtune.model.nn.Scalars;
import org.dialtune.model.nn.Weights;

/**
 * Hugging Face {@code T5ForConditionalGeneration} (transformers 5.18) with NDArray operations, float32:
 * token embeddings without scale or positions; pre-norm blocks (RMS norm, no bias) of self-attention,
 * cross-attention (decoder) and feed-forward (ReLU, or gated-GELU for v1.1), with no biases and no
 * attention scaling; a learned relative position bias made by each stack's first block and added in
 * every block's self-attention (bidirectional in the encoder, causal in the decoder); a final norm per
 * stack; the head (v1.0: the token table, fed d_model^-0.5-scaled states; v1.1: its own lm_head).
 * Dropout where transformers puts it: embeddings, attention probabilities, the feed-forward's inner
 * activations, every sublayer's output and the final norm's output, all at {@code dropout_rate}.
 *
 * <p>Under fp16 the feed-forward output projections ({@code wo}) keep float32 products, as
 * transformers keeps them in float32 ({@code _keep_in_fp32_modules}): T5's activations there overflow
 * float16.
 */
public final class T5Model extends LayeredSeq2SeqLm {
    private final T5Config config;
    private final NDArray shared;
    private final RelativePositionBias encoderPositions;
    private final RelativePositionBias decoderPositions;
    private final List<EncoderLayer> encoderLayers = new ArrayList<>();
    private final RmsNorm encoderFinalNorm;
    private final RmsNorm decoderFinalNorm;
    /** The feed-forward output projections' precision: float32 whatever {@link #setPrecision} says. */
    private final MatmulPrecision outputPrecision = new MatmulPrecision();

    private T5Model(T5Config config, Weights weights) {
        super(weights);
        this.config = config;
        UnaryOperator<NDArray> act = Activation.of(config.activation, config.source().toString(), "feed_forward_proj");
        shared = weights.get(T5Layout.SHARED);
        head = new VocabularyHead(weights.get(config.untiedHead() ? T5Layout.LM_HEAD : T5Layout.SHARED), null, precision);
        encoderPositions = new RelativePositionBias(weights.get(T5Layout.ENCODER_POSITION_BIAS), true,
                config.relativeAttentionNumBuckets, config.relativeAttentionMaxDistance);
        decoderPositions = new RelativePositionBias(weights.get(T5Layout.DECODER_POSITION_BIAS), false,
                config.relativeAttentionNumBuckets, config.relativeAttentionMaxDistance);
        for (int i = 0; i < config.numLayers; i++) {
            String p = "encoder.block." + i + ".layer.";
            encoderLayers.add(new EncoderLayer(attention(p + "0.SelfAttention."), norm(p + "0."),
                    feedForward(p + "1.DenseReluDense.", act), norm(p + "1."), NormPlacement.PRE));
        }
        for (int i = 0; i < config.numDecoderLayers; i++) {
            String p = "decoder.block." + i + ".layer.";
            decoderLayers.add(new DecoderLayer(attention(p + "0.SelfAttention."), norm(p + "0."),
                    attention(p + "1.EncDecAttention."), norm(p + "1."), feedForward(p + "2.DenseReluDense.", act),
                    norm(p + "2."), NormPlacement.PRE));
        }
        encoderFinalNorm = new RmsNorm(weights.get("encoder.final_layer_norm.weight"), config.layerNormEpsilon);
        decoderFinalNorm = new RmsNorm(weights.get("decoder.final_layer_norm.weight"), config.layerNormEpsilon);
    }

    /** Builds a model on {@code device} with every tensor of {@link T5Layout} taken from {@code source}. */
    public static T5Model create(T5Config config, Device device, TensorSource source) {
        Weights weights = Weights.create(T5Layout.tensors(config), device, source);
        try {
            return new T5Model(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    @Override
    public T5Config config() {
        return config;
    }

    /**
     * Every tensor (T5 has no buffers, and its token table is read by both stacks and the tied head),
     * then any adapter tensors.
     */
    @Override
    public Map<String, NDArray> parameters() {
        if (projections.adapterTensors().isEmpty()) return weights.all();
        Map<String, NDArray> m = new LinkedHashMap<>(weights.all());
        m.putAll(projections.adapterTensors());
        return m;
    }

    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        int s = (int) inputIds.getShape().get(1);
        // the first block's bias, shared by all blocks, with the padding folded in: one additive term
        NDArray mask = Masks.sum(encoderPositions.bias(inputIds.getManager(), s, s, 0), Masks.keyPadding(attentionMask));
        NDArray h = Dropout.apply(embed(inputIds), config.dropoutRate, training);
        for (EncoderLayer layer : encoderLayers) h = layer.forward(h, mask, config.dropoutRate, training);
        return Dropout.apply(encoderFinalNorm.apply(h), config.dropoutRate, training);
    }

    @Override
    public NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training) {
        return logits(decoderHiddenStates(encoderStates, attentionMask, decoderInputIds, training));
    }

    /** The decoder's output [B, T, D] after its final norm (before the head's rescale), teacher-forced. */
    public NDArray decoderHiddenStates(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds,
                                      boolean training) {
        NDManager m = decoderInputIds.getManager();
        int t = (int) decoderInputIds.getShape().get(1);
        NDArray selfMask = Masks.sum(decoderPositions.bias(m, t, t, 0), Masks.causal(m, t));
        NDArray crossMask = Masks.keyPadding(attentionMask);
        NDArray h = Dropout.apply(embed(decoderInputIds), config.dropoutRate, training);
        for (DecoderLayer layer : decoderLayers) {
            h = layer.forward(h, selfMask, encoderStates, crossMask, config.dropoutRate, training);
        }
        return Dropout.apply(decoderFinalNorm.apply(h), config.dropoutRate, training);
    }

    /** logits = h·headᵀ; v1.0 scales h by d_model^-0.5 first (its head is the token table). */
    public NDArray logits(NDArray decoderHidden) {
        NDArray h = config.scaleDecoderOutputs ? Scalars.mul(decoderHidden, Math.pow(config.dModel, -0.5)) : decoderHidden;
        return head.logits(h);
    }

    @Override
    protected NDArray decodeSteps(KvCache cache, NDArray tokens, boolean oneStep) {
        long b = tokens.getShape().get(0);
        int t = oneStep ? 1 : (int) tokens.getShape().get(1);
        int past = cache.length();
        NDArray out;
        try (NDScope scope = new NDScope()) {
            NDManager m = tokens.getManager();
            NDArray h = embed(tokens.reshape(b, t));
            // the new positions attend to all fed ones: their bias rows, and the causal mask among themselves
            NDArray selfMask = Masks.sum(decoderPositions.bias(m, t, past + t, past), Masks.causal(m, t, past));
            h = decoderFinalNorm.apply(cache.step(decoderLayers, h, selfMask));
            out = logits(h);
            if (oneStep) out = out.reshape(b, config.vocabSize);
            NDScope.unregister(out);
            out.attach(m);
        }
        cache.advance(t);
        return out;
    }

    /** Token embeddings: no scale, no positions, and (unlike BART) the pad row learns from pad inputs too. */
    private NDArray embed(NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, shared, SparseFormat.DENSE).singletonOrThrow();
    }

    private RmsNorm norm(String layerPrefix) {
        return new RmsNorm(weights.get(layerPrefix + "layer_norm.weight"), config.layerNormEpsilon);
    }

    private Linear linear(String name, MatmulPrecision p) {
        return projections.add(name.substring(0, name.length() - ".weight".length()),
                new Linear(weights.get(name), null, p));
    }

    private Attention attention(String prefix) {
        return new Attention(linear(prefix + "q.weight", precision), linear(prefix + "k.weight", precision),
                linear(prefix + "v.weight", precision), linear(prefix + "o.weight", precision), config.numHeads,
                config.dKv, 1f, config.dropoutRate);
    }

    private FeedForward feedForward(String prefix, UnaryOperator<NDArray> act) {
        Linear out = linear(prefix + "wo.weight", outputPrecision);
        if (config.gatedActivation) {
            return FeedForward.gated(linear(prefix + "wi_0.weight", precision), linear(prefix + "wi_1.weight", precision),
                    out, act, config.dropoutRate);
        }
        return FeedForward.dense(linear(prefix + "wi.weight", precision), out, act, config.dropoutRate);
    }
}
