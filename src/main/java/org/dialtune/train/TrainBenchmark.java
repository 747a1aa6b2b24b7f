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

/**
 * Times training steps (forward, loss, backward, AdamW step, gradients cleared) of a random model on
 * random token batches, measuring the same work as shared/reference/torch_bart_bench.py: ids in
 * [4, vocab) with bos first and eos last, no padding, labels likewise, train mode (config dropouts),
 * AdamW lr 1e-3 decaying every parameter (torch's single param group), warm-up steps untimed.
 */
public final class TrainBenchmark {
    /**
     * {@code genRuns}: timed greedy generation calls after the training steps (0 = none); {@code precision}
     * FP16 times mixed precision as the trainer runs it (float16 products, loss scaling).
     */
    public record Settings(int batch, int srcLen, int tgtLen, int steps, int warmup, long seed, int genRuns,
                           Precision precision, StageSpec.Method method) {
        public Settings(int batch, int srcLen, int tgtLen, int steps, int warmup, long seed, int genRuns) {
            this(batch, srcLen, tgtLen, steps, warmup, seed, genRuns, Precision.FP32);
        }

        public Settings(int batch, int srcLen, int tgtLen, int steps, int warmup, long seed, int genRuns,
                        Precision precision) {
            this(batch, srcLen, tgtLen, steps, warmup, seed, genRuns, precision, StageSpec.Method.FULL);
        }
    }

    /** {@code genTokensPerS}: new tokens per second of greedy generation with the KV cache, encoder included. */
    /** {@code params}: all parameters (adapters included); {@code trainable}: those the method trains. */
    public record Result(long params, long trainable, long optimizerStateBytes, double trainTokensPerS, double stepMs, List<Double> stepMsAll,
                         float firstLoss, float lastLoss, double genTokensPerS, List<Double> genMsAll, long peakRssMb) {}

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
            Engine.getInstance().setRandomSeed((int) s.seed());
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
            List<Double> genTimes = new ArrayList<>();
            double genRate = s.genRuns() > 0 ? timeGeneration(model, config, src, s, genTimes) : Double.NaN;
            return new Result(method.totalCount(), method.trainableCount(), method.optimizerStateBytes(), tokens / (total / 1000), total / Math.max(1, s.steps()), times, first, last,
                    genRate, genTimes, org.dialtune.common.ProcessMemory.peakRssMb());
        }
    }

    /**
     * The reference's generation measure: greedy, {@code max_length = tgtLen} and {@code min_length =
     * tgtLen - 1} so every row decodes exactly {@code tgtLen - 1} tokens, one short untimed call first.
     */
    private static double timeGeneration(Seq2SeqLm model, ModelConfig config, long[] src, Settings s, List<Double> times) {
        List<long[]> sources = new ArrayList<>();
        for (int r = 0; r < s.batch(); r++) {
            sources.add(java.util.Arrays.copyOfRange(src, r * s.srcLen(), (r + 1) * s.srcLen()));
        }
        GenerationConfig cfg = new GenerationConfig(s.tgtLen(), s.tgtLen() - 1, 1, 1.0,
                GenerationConfig.EarlyStopping.TRUE, 0, config.forcedBosTokenId(), config.forcedEosTokenId(),
                config.decoderStartTokenId(), config.eosTokenId(), config.padTokenId(), "bench --tgt-len");
        new Generator(model, cfg.withMaxLength(4, "warm-up").withMinLength(3), s.batch())
                .generate(model.manager(), sources);
        Generator generator = new Generator(model, cfg, s.batch());
        long newTokens = 0;
        for (int i = 0; i < s.genRuns(); i++) {
            long t0 = System.nanoTime();
            for (Generated g : generator.generate(model.manager(), sources)) newTokens += g.newTokens();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        double ms = times.stream().mapToDouble(Double::doubleValue).sum();
        return newTokens / (ms / 1000);
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

    /** Peak resident set (VmHWM) of this process in MB, or -1 where /proc is not available. */
}
