package org.dialtune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.Precision;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.generate.GenerationConfig;
import org.dialtune.model.generate.Generated;
import org.dialtune.model.generate.Generator;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.score.OptionScorer;

/**
 * Times training steps (forward, loss, backward, AdamW step, gradients cleared) of a random model on
 * random token batches, measuring the same work as shared/reference/torch_bart_bench.py: ids in
 * [4, vocab) with bos first and eos last, no padding, labels likewise, train mode (config dropouts),
 * AdamW lr 1e-3 decaying every parameter (torch's single param group), warm-up steps untimed.
 */
public final class TrainBenchmark {
    /**
     * {@code genRuns}: timed calls of each generation and scoring measure after the training steps (0 =
     * none); {@code beams}: the beam width of the beam measure (below 2: not timed); {@code options}: the
     * options scored over one source in the scoring measure (0: not timed), each of 2 to
     * {@code optionMaxLen} random tokens and EOS; {@code precision} FP16 times mixed precision as the
     * trainer runs it (float16 products, loss scaling).
     */
    public record Settings(int batch, int srcLen, int tgtLen, int steps, int warmup, long seed, int genRuns,
                           Precision precision, int beams, int options, int optionMaxLen, StageSpec.Method method) {
        public Settings(int batch, int srcLen, int tgtLen, int steps, int warmup, long seed, int genRuns) {
            this(batch, srcLen, tgtLen, steps, warmup, seed, genRuns, Precision.FP32, 0, 0, 6, StageSpec.Method.FULL);
        }
    }

    /** A timed measure: its rate (work per second over all timed calls) and each call's milliseconds. */
    public record Rate(double perSecond, List<Double> msAll) {
        static Rate of(double work, List<Double> msAll) {
            double ms = msAll.stream().mapToDouble(Double::doubleValue).sum();
            return new Rate(work / (ms / 1000), msAll);
        }
    }

    /**
     * {@code greedy} / {@code beam}: new tokens per second (encoder included) of greedy and beam search
     * with the KV cache; {@code score}: options scored per second; null where not timed. {@code params}: all
     * parameters (adapters included); {@code trainable}: those the method trains.
     */
    public record Result(long params, long trainable, long optimizerStateBytes, double trainTokensPerS, double stepMs, List<Double> stepMsAll,
                         float firstLoss, float lastLoss, Rate greedy, Rate beam, Rate score, long peakRssMb) {}

    private TrainBenchmark() {}

    public static Result run(ModelConfig config, Device device, Settings s) {
        try (Seq2SeqLm model = ModelFamilies.of(config).random(config, device, s.seed())) {
            TrainingMethod.Prepared method = TrainingMethod.apply(model, s.method(), s.seed(), null, "bench --method");
            Map<String, NDArray> params = method.trainable();
            model.setPrecision(s.precision());
            LossScaler scaler = LossScaler.forPrecision(s.precision());
            TokenCrossEntropy loss = new TokenCrossEntropy(0f);
            long[] src = randomIds(config, s.batch(), s.srcLen(), new Random(s.seed()));
            long[] tgt = randomIds(config, s.batch(), s.tgtLen(), new Random(s.seed() + 1));
            List<Double> times = new ArrayList<>();
            float first = Float.NaN;
            float last = Float.NaN;
            Dropout.reseed(s.seed());
            try (AdamW opt = new AdamW(params, AdamW.Settings.defaults(n -> true))) {
                UpdateStep update = new UpdateStep(opt, scaler, 0, false); // the bare loop: no clipping, no norm in fp32
                for (int i = 0; i < s.warmup() + s.steps(); i++) {
                    long t0 = System.nanoTime();
                    try (NDManager m = model.manager().newSubManager()) {
                        NDArray ids = m.create(src, new Shape(s.batch(), s.srcLen()));
                        NDArray mask = ids.onesLike();
                        NDArray labels = m.create(tgt, new Shape(s.batch(), s.tgtLen()));
                        NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, config.padTokenId(),
                                config.decoderStartTokenId());
                        NDArray l;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            l = loss.compute(model.forward(ids, mask, decIn, true), labels).loss();
                            gc.backward(scaler == null ? l : org.dialtune.model.nn.Scalars.mul(l, update.lossFactor(1)));
                        }
                        update.apply(1e-3, m);
                        last = l.getFloat(); // also the host sync that ends the step
                        if (i == 0) first = last;
                    }
                    if (i >= s.warmup()) times.add((System.nanoTime() - t0) / 1e6);
                }
            }
            double total = times.stream().mapToDouble(Double::doubleValue).sum();
            double tokens = (double) s.batch() * s.tgtLen() * s.steps();
            boolean timed = s.genRuns() > 0;
            Rate greedy = timed ? timeGeneration(model, config, src, s, 1) : null;
            Rate beam = timed && s.beams() > 1 ? timeGeneration(model, config, src, s, s.beams()) : null;
            Rate score = timed && s.options() > 0 ? timeScoring(model, config, src, s) : null;
            return new Result(method.totalCount(), method.trainableCount(), method.optimizerStateBytes(),
                    tokens / (total / 1000), total / Math.max(1, s.steps()), times, first, last, greedy, beam, score,
                    org.dialtune.common.ProcessMemory.peakRssMb());
        }
    }

    /**
     * The peers' generation measures: greedy ({@code beams} 1) or beam search (length penalty 1, HF's
     * {@code early_stopping=False}), {@code max_length = tgtLen} and {@code min_length = tgtLen - 1} so
     * every row decodes {@code tgtLen - 1} tokens; new tokens of the returned sequences per second. Like the
     * peers, {@code warmup} (at least one) whole calls run untimed first: the launcher's C1-only JIT needs a
     * few calls before the decoding loop's Java side is compiled (tiny-bart: 167, 105, then 66 ms a call).
     */
    private static Rate timeGeneration(Seq2SeqLm model, ModelConfig config, long[] src, Settings s, int beams) {
        List<long[]> sources = new ArrayList<>();
        for (int r = 0; r < s.batch(); r++) {
            sources.add(java.util.Arrays.copyOfRange(src, r * s.srcLen(), (r + 1) * s.srcLen()));
        }
        GenerationConfig cfg = new GenerationConfig(s.tgtLen(), s.tgtLen() - 1, beams, 1.0,
                beams == 1 ? GenerationConfig.EarlyStopping.TRUE : GenerationConfig.EarlyStopping.FALSE, 0,
                config.forcedBosTokenId(), config.forcedEosTokenId(), config.decoderStartTokenId(), config.eosTokenId(),
                config.padTokenId(), "bench --tgt-len");
        Generator generator = new Generator(model, cfg, s.batch());
        for (int i = 0; i < Math.max(1, s.warmup()); i++) generator.generate(model.manager(), sources);
        List<Double> times = new ArrayList<>();
        long newTokens = 0;
        for (int i = 0; i < s.genRuns(); i++) {
            long t0 = System.nanoTime();
            for (Generated g : generator.generate(model.manager(), sources)) newTokens += g.newTokens();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return Rate.of(newTokens, times);
    }

    /**
     * The peers' option-scoring measure (rank classification as evaluation runs it): the first source
     * row and {@code options} random options of 2..{@code optionMaxLen} tokens plus EOS, scored in one
     * batch by {@link OptionScorer}; {@code warmup} (at least one) untimed calls first, as the peers do.
     * Options per second.
     */
    private static Rate timeScoring(Seq2SeqLm model, ModelConfig config, long[] src, Settings s) {
        Random rnd = new Random(s.seed() + 2);
        List<long[]> options = new ArrayList<>();
        for (int i = 0; i < s.options(); i++) {
            long[] o = new long[2 + rnd.nextInt(s.optionMaxLen() - 1) + 1];
            for (int j = 0; j < o.length - 1; j++) o[j] = 4 + rnd.nextInt(config.vocabSize() - 4);
            o[o.length - 1] = config.eosTokenId();
            options.add(o);
        }
        List<long[]> source = List.of(java.util.Arrays.copyOf(src, s.srcLen()));
        OptionScorer scorer = new OptionScorer(model, s.options());
        for (int i = 0; i < Math.max(1, s.warmup()); i++) scorer.score(model.manager(), source, List.of(options), done -> {});
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < s.genRuns(); i++) {
            long t0 = System.nanoTime();
            scorer.score(model.manager(), source, List.of(options), done -> {});
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return Rate.of((double) s.options() * s.genRuns(), times);
    }

    private static long[] randomIds(ModelConfig c, int rows, int len, Random rnd) {
        long[] ids = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < len; j++) ids[r * len + j] = 4 + rnd.nextInt(c.vocabSize() - 4);
            if (c.bosTokenId() >= 0) ids[r * len] = c.bosTokenId(); // T5 has none
            ids[r * len + len - 1] = c.eosTokenId();
        }
        return ids;
    }

}
