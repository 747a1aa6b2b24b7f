package org.dialtune.model.bart;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dialtune.common.UserError;
import org.dialtune.model.TensorSource;
import org.dialtune.model.nn.Activation;
import org.dialtune.model.nn.Attention;
import org.dialtune.model.nn.DecoderLayer;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.nn.EncoderLayer;
import org.dialtune.model.nn.FeedForward;
import org.dialtune.model.nn.KvCache;
import org.dialtune.model.nn.LayeredSeq2SeqLm;
import org.dialtune.model.nn.LayerNorm;
import org.dialtune.model.nn.Linear;
import org.dialtune.model.nn.VocabularyHead;
import org.dialtune.model.nn.Masks;
import org.dialtune.model.nn.NormPlacement;
import org.dialtune.model.nn.Scalars;
import org.dialtune.model.nn.Weights;

/**
 * Hugging Face {@code BartForConditionalGeneration} written directly with NDArray operations, float32.
 *
 * <p>The weights are plain NDArrays in one manager, addressed by their HF state-dict names
 * ({@link #tensors()}); no DJL Block machinery, so names, caching and gradient handling are ours.
 * Semantics follow shared/models/tiny-bart/README.md ("Semantics" 1–12). Every result and
 * intermediate lives in the manager of the caller's input arrays; nothing is left in the model's
 * manager by a forward pass.
 */
public final class BartModel extends LayeredSeq2SeqLm {
    private final BartConfig config;
    /** Token tables of the encoder and decoder, and the LM head: all {@code model.shared.weight} when tied. */
    private final NDArray encoderTokens;
    private final NDArray decoderTokens;
    private final NDArray encoderPositions;
    private final NDArray decoderPositions;
    private final NDArray logitsBias;
    private final LayerNorm encoderEmbeddingNorm;
    private final LayerNorm decoderEmbeddingNorm;
    private final List<EncoderLayer> encoderLayers = new ArrayList<>();
    private final float embedScale;
    private final float encoderLayerdrop;
    private final float decoderLayerdrop;

    private BartModel(BartConfig config, Weights weights) {
        super(weights);
        this.config = config;
        UnaryOperator<NDArray> act = Activation.of(config.activationFunction, "config.json");
        boolean tied = config.tieWordEmbeddings;
        encoderTokens = t(tied ? BartLayout.SHARED : BartLayout.ENCODER_EMBED);
        decoderTokens = t(tied ? BartLayout.SHARED : BartLayout.DECODER_EMBED);
        encoderPositions = t("model.encoder.embed_positions.weight");
        decoderPositions = t("model.decoder.embed_positions.weight");
        // a [V] view of the [1, V] buffer, made once, so the LM head is one fused linear call
        logitsBias = t(BartLayout.FINAL_LOGITS_BIAS).reshape(config.vocabSize);
        head = new VocabularyHead(t(tied ? BartLayout.SHARED : BartLayout.LM_HEAD), logitsBias, precision);
        encoderEmbeddingNorm = norm("model.encoder.layernorm_embedding.");
        decoderEmbeddingNorm = norm("model.decoder.layernorm_embedding.");
        embedScale = config.scaleEmbedding ? (float) Math.sqrt(config.dModel) : 1f;
        JsonObject raw = config.toJson();
        rejectVariants(raw);
        encoderLayerdrop = probability(raw, "encoder_layerdrop");
        decoderLayerdrop = probability(raw, "decoder_layerdrop");
        for (int i = 0; i < config.encoderLayers; i++) {
            String p = "model.encoder.layers." + i + ".";
            encoderLayers.add(new EncoderLayer(attention(p + "self_attn.", config.encoderAttentionHeads),
                    norm(p + "self_attn_layer_norm."), ffn(p, act), norm(p + "final_layer_norm."), NormPlacement.POST));
        }
        for (int i = 0; i < config.decoderLayers; i++) {
            String p = "model.decoder.layers." + i + ".";
            decoderLayers.add(new DecoderLayer(attention(p + "self_attn.", config.decoderAttentionHeads),
                    norm(p + "self_attn_layer_norm."), attention(p + "encoder_attn.", config.decoderAttentionHeads),
                    norm(p + "encoder_attn_layer_norm."), ffn(p, act), norm(p + "final_layer_norm."),
                    NormPlacement.POST));
        }
    }

    /** Builds a model on {@code device} with every tensor of {@link BartLayout} taken from {@code source}. */
    public static BartModel create(BartConfig config, Device device, TensorSource source) {
        Weights weights = Weights.create(BartLayout.tensors(config), device, source);
        try {
            return new BartModel(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    @Override
    public BartConfig config() {
        return config;
    }

    /**
     * The trainable parameters by HF name, in HF order: every tensor but the buffer and, untied, but
     * {@code model.shared.weight}, which transformers keeps in the checkpoint while its encoder, decoder
     * and head read their own tables (trained, it would only decay); then any adapter tensors.
     */
    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        weights.all().forEach((k, v) -> {
            boolean unused = !config.tieWordEmbeddings && k.equals(BartLayout.SHARED);
            if (BartLayout.isParameter(k) && !unused) m.put(k, v);
        });
        m.putAll(projections.adapterTensors());
        return m;
    }

    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        NDArray mask = Masks.keyPadding(attentionMask);
        NDArray h = embed(inputIds, encoderTokens, encoderPositions, 0, encoderEmbeddingNorm);
        h = Dropout.apply(h, config.dropout, training);
        for (EncoderLayer layer : encoderLayers) {
            if (dropLayer(inputIds, encoderLayerdrop, training)) continue;
            h = layer.forward(h, mask, config.dropout, training);
        }
        return h;
    }

    @Override
    public NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training) {
        return logits(decoderHiddenStates(encoderStates, attentionMask, decoderInputIds, training));
    }

    /** The last decoder layer's output [B, T, D] (before the LM head), teacher-forced. */
    public NDArray decoderHiddenStates(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds,
                                      boolean training) {
        long t = decoderInputIds.getShape().get(1);
        NDArray h = embed(decoderInputIds, decoderTokens, decoderPositions, 0, decoderEmbeddingNorm);
        h = Dropout.apply(h, config.dropout, training);
        NDArray causal = Masks.causal(decoderInputIds.getManager(), t);
        NDArray cross = Masks.keyPadding(attentionMask);
        for (DecoderLayer layer : decoderLayers) {
            if (dropLayer(decoderInputIds, decoderLayerdrop, training)) continue;
            h = layer.forward(h, causal, encoderStates, cross, config.dropout, training);
        }
        return h;
    }

    /** logits = h · headᵀ + final_logits_bias (the head is the shared embedding unless untied). */
    public NDArray logits(NDArray decoderHidden) {
        return head.logits(decoderHidden);
    }

    @Override
    protected NDArray decodeSteps(KvCache cache, NDArray tokens, boolean oneStep) {
        long b = tokens.getShape().get(0);
        int t = oneStep ? 1 : (int) tokens.getShape().get(1);
        NDArray out;
        try (NDScope scope = new NDScope()) {
            NDArray h = embed(tokens.reshape(b, t), decoderTokens, decoderPositions, cache.length(), decoderEmbeddingNorm);
            h = cache.step(decoderLayers, h, Masks.causal(tokens.getManager(), t, cache.length()));
            out = logits(h);
            if (oneStep) out = out.reshape(b, config.vocabSize);
            NDScope.unregister(out);
            out.attach(tokens.getManager());
        }
        cache.advance(t);
        return out;
    }

    /** HF LayerDrop: in training, skip a whole layer with probability p (libtorch's seeded RNG). */
    private static boolean dropLayer(NDArray like, float p, boolean training) {
        if (!training || p <= 0f) return false;
        try (NDArray u = like.getManager().randomUniform(0f, 1f, new Shape())) {
            return u.getFloat() < p;
        }
    }

    /**
     * Config switches of BART relatives (mBART's pre-LN and final LayerNorms, logit bias heads) that
     * this implementation does not compute: refused rather than silently ignored.
     */
    private static void rejectVariants(JsonObject raw) {
        for (String key : new String[] {"normalize_before", "add_final_layer_norm", "add_bias_logits"}) {
            JsonElement e = raw.get(key);
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean()) {
                throw new UserError("config.json: field \"" + key + "\" is true, which is not BART's architecture "
                        + "(only BartForConditionalGeneration is supported; set it to false or use a BART checkpoint)");
            }
        }
    }

    private static float probability(JsonObject raw, String key) {
        JsonElement e = raw.get(key);
        if (e == null || e.isJsonNull()) return 0f;
        double v = e.getAsDouble();
        if (v < 0 || v >= 1) throw new UserError("config.json: field \"" + key + "\" must be in [0, 1), got " + v);
        return (float) v;
    }

    /**
     * Token embedding (× embed_scale) + learned position rows {@code start+2 ...}, then LayerNorm.
     * Like HF's {@code nn.Embedding(padding_idx=pad)}, pad tokens take their row's value but send it
     * no gradient (a tied row still learns through the LM head).
     */
    private NDArray embed(NDArray ids, NDArray table, NDArray positions, long start, LayerNorm norm) {
        long t = ids.getShape().get(1);
        if (start + t > config.maxPositionEmbeddings) {
            throw new UserError("input of " + (start + t) + " positions is longer than the model's "
                    + "max_position_embeddings (" + config.maxPositionEmbeddings + "): truncate the inputs");
        }
        NDManager m = ids.getManager();
        NDArray e = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
        if (table.hasGradient()) {
            NDArray pad = ids.eq(config.padTokenId).expandDims(-1).toType(DataType.FLOAT32, false);
            // same values; the gradient reaches the table only through non-pad positions
            e = e.mul(pad.neg().add(1f)).add(e.stopGradient().mul(pad));
        }
        if (embedScale != 1f) e = Scalars.mul(e, embedScale);
        NDArray pos = positions.get(m, new NDIndex("{}:{}", start + 2, start + 2 + t));
        return norm.apply(e.add(pos));
    }

    private NDArray t(String name) {
        return weights.get(name);
    }

    private Linear linear(String prefix) {
        return projections.add(prefix.substring(0, prefix.length() - 1),
                new Linear(t(prefix + "weight"), t(prefix + "bias"), precision));
    }

    private LayerNorm norm(String prefix) {
        return new LayerNorm(t(prefix + "weight"), t(prefix + "bias"));
    }

    private Attention attention(String prefix, int heads) {
        return new Attention(linear(prefix + "q_proj."), linear(prefix + "k_proj."), linear(prefix + "v_proj."),
                linear(prefix + "out_proj."), heads, config.dModel / heads, config.attentionDropout);
    }

    private FeedForward ffn(String prefix, UnaryOperator<NDArray> act) {
        return FeedForward.dense(linear(prefix + "fc1."), linear(prefix + "fc2."), act, config.activationDropout);
    }
}
