package org.dialtune.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.Precision;
import org.dialtune.model.bart.BartConfig;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.Seq2SeqLm;

/**
 * A fake encoder-decoder whose next-token logits are whatever a test script says, given the source
 * ids and the decoder prefix. The "encoder states" carry the source ids so every decoding path
 * (cached, uncached, re-ordered, expanded) sees the same source; search and scoring logic can be
 * checked against hand-computed results without a real model.
 */
public final class ScriptedLm implements Seq2SeqLm {
    /** Logits over the vocabulary for the token after {@code prefix}, given the unpadded {@code source}. */
    @FunctionalInterface
    public interface Script {
        float[] logits(long[] source, long[] prefix);
    }

    private final BartConfig config;
    private final Script script;
    private Precision precision = Precision.FP32;
    private NDManager manager;
    private int stepCalls;
    private int fedPositions;
    private int startCalls;
    private int decodeCalls;

    public ScriptedLm(int vocabSize, Script script) {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "bart");
        c.addProperty("vocab_size", vocabSize);
        c.addProperty("d_model", 4);
        c.addProperty("encoder_attention_heads", 1);
        c.addProperty("decoder_attention_heads", 1);
        this.config = BartConfig.fromJson(c);
        this.script = script;
    }

    /** Logits that are the log of the given probabilities (so log_softmax gives them back). */
    public static float[] logOf(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) out[i] = (float) Math.log(probs[i]);
        return out;
    }

    /** Row-positions fed through {@link #decodeStep} (a call with B rows feeds B). */
    public int fedPositions() {
        return fedPositions;
    }

    /** Calls of {@link #startDecoding}: one per source whose cross-attention would be computed. */
    public int startCalls() {
        return startCalls;
    }

    public int stepCalls() {
        return stepCalls;
    }

    public int decodeCalls() {
        return decodeCalls;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    /** No weights: the script is the model. */
    @Override
    public Map<String, NDArray> tensors() {
        return Map.of();
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of();
    }

    private final org.dialtune.model.nn.Projections projections = new org.dialtune.model.nn.Projections();

    @Override
    public org.dialtune.model.nn.Projections projections() {
        return projections;
    }

    @Override
    public Map<String, NDArray> setTrainable(Predicate<String> which) {
        return Map.of();
    }

    @Override
    public void setPrecision(Precision p) {
        precision = p;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    @Override
    public synchronized NDManager manager() {
        if (manager == null) manager = NDManager.newBaseManager(Device.cpu());
        return manager;
    }

    @Override
    public synchronized void close() {
        if (manager != null) manager.close();
    }

    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask, boolean training) {
        NDArray masked = inputIds.mul(attentionMask).add(attentionMask.sub(1)); // padding -> -1
        return masked.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(2);
    }

    @Override
    public NDArray decode(NDArray encoderStates, NDArray attentionMask, NDArray decoderInputIds, boolean training) {
        decodeCalls++;
        List<long[]> sources = sources(encoderStates);
        long[] ids = decoderInputIds.toLongArray();
        int rows = sources.size();
        int t = (int) decoderInputIds.getShape().get(1);
        int v = config.vocabSize();
        float[] out = new float[rows * t * v];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < t; p++) {
                long[] prefix = Arrays.copyOfRange(ids, r * t, r * t + p + 1);
                System.arraycopy(checked(script.logits(sources.get(r), prefix)), 0, out, (r * t + p) * v, v);
            }
        }
        return encoderStates.getManager().create(out, new Shape(rows, t, v));
    }

    @Override
    public DecoderCache startDecoding(NDArray encoderStates, NDArray attentionMask) {
        startCalls++;
        return new Cache(sources(encoderStates));
    }

    @Override
    public NDArray decodeStep(DecoderCache cache, NDArray tokens) {
        stepCalls++;
        Cache c = (Cache) cache;
        long[] next = tokens.toLongArray();
        fedPositions += next.length;
        int v = config.vocabSize();
        float[] out = new float[next.length * v];
        for (int r = 0; r < next.length; r++) {
            long[] prefix = Arrays.copyOf(c.prefixes.get(r), c.prefixes.get(r).length + 1);
            prefix[prefix.length - 1] = next[r];
            c.prefixes.set(r, prefix);
            System.arraycopy(checked(script.logits(c.sources.get(r), prefix)), 0, out, r * v, v);
        }
        return tokens.getManager().create(out, new Shape(next.length, v));
    }

    private float[] checked(float[] logits) {
        if (logits.length != config.vocabSize()) throw new IllegalStateException("script returned " + logits.length);
        return logits;
    }

    private static List<long[]> sources(NDArray encoderStates) {
        float[] flat = encoderStates.toFloatArray();
        int rows = (int) encoderStates.getShape().get(0);
        int width = (int) encoderStates.getShape().get(1);
        List<long[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            long[] ids = new long[width];
            int n = 0;
            for (int i = 0; i < width; i++) {
                float f = flat[r * width + i];
                if (f >= 0) ids[n++] = (long) f;
            }
            out.add(Arrays.copyOf(ids, n));
        }
        return out;
    }

    private static final class Cache implements DecoderCache {
        private List<long[]> sources;
        private List<long[]> prefixes;

        Cache(List<long[]> sources) {
            this.sources = new ArrayList<>(sources);
            this.prefixes = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) prefixes.add(new long[0]);
        }

        @Override
        public int length() {
            return prefixes.get(0).length;
        }

        @Override
        public void selectRows(NDArray rows) {
            List<long[]> s = new ArrayList<>();
            List<long[]> p = new ArrayList<>();
            for (long r : rows.toLongArray()) {
                s.add(sources.get((int) r));
                p.add(prefixes.get((int) r));
            }
            sources = s;
            prefixes = p;
        }

        @Override
        public DecoderCache fork(NDArray rows) {
            Cache f = new Cache(sources);
            f.prefixes = new ArrayList<>(prefixes);
            f.selectRows(rows);
            return f;
        }

        @Override
        public void close() {}
    }
}
