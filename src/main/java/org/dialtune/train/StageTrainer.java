package org.dialtune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dialtune.common.Json;
import org.dialtune.common.Progress;
import org.dialtune.common.SeedMix;
import org.dialtune.common.UserError;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Precision;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.lora.Lora;
import org.dialtune.model.lora.PeftAdapter;
import org.dialtune.model.nn.Dropout;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;

/**
 * Trains one stage: draws batches from the task mixture, takes AdamW steps on a schedule, logs,
 * checkpoints, validates and keeps the best model. Output layout under {@code out}:
 * <pre>
 *   model/        the stage's result in HF layout (the best validated model, else the last)
 *   adapter/      LoRA stages: the result's adapter in PEFT's format (model/ is then base + adapter merged)
 *   best/         best validated model so far (stages with a validator; LoRA stages: its adapter)
 *   checkpoints/  step-NNNNNNNN/{model/ (LoRA: adapter/), optimizer.safetensors, optimizer_steps.json, trainer_state.json}
 *   train_log.jsonl
 * </pre>
 * The stage's {@link StageSpec.Method} decides which parameters train; AdamW holds state for those
 * only. A LoRA stage's base weights never change, so its checkpoints hold the adapter alone and a
 * resumed LoRA stage reloads the base from the stage's starting model.
 * With {@code resume}, training continues from the newest complete checkpoint and produces exactly
 * the losses, weights and log of an unbroken run: the batch stream replays from its saved position,
 * AdamW's moments are restored bit for bit, and dropout is reseeded from (seed, step) every step.
 */
public final class StageTrainer {
    /** Why a stage ended: it ran its steps, validation stopped gaining ({@code eval.patience}), or {@code budget_flops}. */
    public enum StopReason {
        STEPS, PATIENCE, BUDGET_FLOPS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a finished stage produced; {@code flops} are its training FLOPs (forward + backward of every
     * step, {@link FlopCounter}), {@code trainableParams} the elements that trained.
     */
    public record Result(Path modelDir, long steps, Double bestScore, long bestStep, boolean stoppedEarly,
                         List<Double> losses, long truncatedSources, long truncatedTargets, Path adapterDir,
                         long trainableParams, long totalParams, double flops, StopReason stopReason) {}

    /**
     * Settings that are not part of the stage file; {@code precision} FP16 trains with loss scaling;
     * {@code recordBatches} writes every micro-batch's examples and token ids to {@code batches.jsonl}.
     */
    public record Options(int logEvery, int keepCheckpoints, int bucketWindow, Device device, Precision precision,
                          boolean recordBatches) {
        public static Options defaults() {
            return new Options(10, 2, 16, Device.cpu(), Precision.FP32, false);
        }
    }

    /** A LoRA checkpoint's and stage's adapter directory. */
    static final String ADAPTER = "adapter";

    private final StageSpec stage;
    private final Options options;
    /** The method as set up on the model of the current {@link #run}. */
    private TrainingMethod.Prepared prepared;

    public StageTrainer(StageSpec stage, Options options) {
        this.stage = stage;
        this.options = options;
    }

    /** Steps the stage runs for a pool of {@code examples} examples. */
    public long totalSteps(long examples) {
        if (stage.steps() > 0) return stage.steps();
        // a pool smaller than the batch makes batches of the whole pool (BatchStream never repeats an example)
        long perStep = Math.min(stage.batch().size(), examples) * stage.batch().accumulation();
        return Math.max(1, (long) Math.ceil(stage.epochs() * examples / perStep));
    }

    /**
     * @param initModel checkpoint directory the stage starts from (ignored when resuming from a checkpoint)
     * @param pool training examples by task
     * @param validator null for stages without model selection
     */
    public Result run(Path initModel, Seq2SeqTokenizer tokenizer, Map<String, List<Seq2SeqExample>> pool,
                      Validator validator, Path out, boolean resume) {
        TaskMixture<Seq2SeqExample> mixture = new TaskMixture<>(pool, stage.mixture(), stage.seed());
        long total = totalSteps(mixture.size());
        LrSchedule schedule = new LrSchedule(stage.schedule().kind(), stage.optimizer().lr(),
                stage.schedule().warmupFor(total), total);
        String fingerprint = fingerprint(total, mixture);
        CheckpointStore store = new CheckpointStore(out, options.keepCheckpoints());
        if (resume) store.removeIncomplete();
        Optional<Path> checkpoint = resume ? store.latest() : Optional.empty();
        if (!resume && !store.complete().isEmpty()) {
            throw new UserError(out + ": holds checkpoints of an earlier run: add --resume to continue it, or use another --out");
        }
        TrainerState state = checkpoint.map(TrainerState::load).orElse(new TrainerState(stage.name(), 0, total, 0, 0,
                null, -1, 0, stage.seed(), fingerprint, 0));
        if (!state.settingsFingerprint().equals(fingerprint)) {
            throw new UserError(checkpoint.get() + ": was written with other settings (" + state.settingsFingerprint()
                    + " vs now " + fingerprint + "); resume with the same stage file and data, or use another --out");
        }
        boolean lora = stage.method().isLora();
        Path modelDir = lora ? initModel : checkpoint.map(c -> c.resolve("model")).orElse(initModel);
        Path resumedAdapter = lora ? checkpoint.map(c -> c.resolve(ADAPTER)).orElse(null) : null;
        String where = "stage \"" + stage.name() + "\"";
        tokenizer.checkFits(ModelFamilies.readConfig(modelDir));
        List<Double> losses = new ArrayList<>();
        long truncSrc = 0;
        long truncTgt = 0;
        boolean stoppedEarly = false;
        StopReason stop = StopReason.STEPS;
        try (Seq2SeqLm model = Checkpoint.load(modelDir, options.device()).model();
             AdamW opt = new AdamW(prepareMethod(model, resumedAdapter, where).trainable(),
                     adamSettings(ModelFamilies.of(model.config())));
             TrainLog log = checkpoint.isPresent() ? TrainLog.resume(out.resolve("train_log.jsonl"), state.globalStep())
                     : TrainLog.create(out.resolve("train_log.jsonl"));
             Progress progress = Progress.start("train " + stage.name(), total, "steps");
             BatchPrefetcher batches = batches(mixture, state, model, tokenizer);
             BatchRecorder recorder = options.recordBatches() ? BatchRecorder.open(out, state.globalStep()) : null) {
            if (checkpoint.isPresent()) OptimizerCheckpoint.restore(opt, checkpoint.get());
            TrainingMethod.Prepared method = prepared;
            System.err.println("train " + stage.name() + ": " + method.describe());
            if (checkpoint.isEmpty()) log.write(method.logRecord(stage.name()));
            FlopCounter flops = FlopCounter.of(model, opt.parameters().keySet());
            model.setPrecision(options.precision());
            LossScaler scaler = LossScaler.forPrecision(options.precision());
            if (scaler != null && checkpoint.isPresent()) scaler.restore(checkpoint.get());
            UpdateStep update = new UpdateStep(opt, scaler, stage.optimizer().clipNorm(), true);
            TokenCrossEntropy lossFn = new TokenCrossEntropy((float) stage.labelSmoothing());
            long windowStart = System.nanoTime();
            long windowTokens = 0;
            int windowSteps = 0;
            double lastLoss = Double.NaN;
            // a run resumed from the checkpoint of the step that reached the budget has nothing left to do
            if (stage.budgetReached(state.flops())) stop = StopReason.BUDGET_FLOPS;
            for (long step = state.globalStep() + 1; step <= total && stop == StopReason.STEPS; step++) {
                // dropout masks depend on (seed, step) only: a resumed run draws the same ones
                Dropout.reseed(SeedMix.mix(stage.seed(), step, 0xD809));
                double lr = schedule.lrAt(step - 1);
                double stepLoss = 0;
                UpdateStep.Outcome outcome;
                int stepTokens = 0;
                FlopCounter.Flops stepFlops = FlopCounter.Flops.ZERO;
                BatchStream.Position after = null;
                try (NDManager sm = model.manager().newSubManager()) {
                    List<EncodedBatch> micro = new ArrayList<>(stage.batch().accumulation());
                    for (int i = 0; i < stage.batch().accumulation(); i++) {
                        BatchPrefetcher.Prepared prepared = batches.next();
                        micro.add(prepared.batch());
                        after = prepared.after();
                        if (recorder != null) recorder.record(step, i, prepared.batch());
                    }
                    for (EncodedBatch b : micro) {
                        stepTokens += b.targetTokens();
                        stepFlops = stepFlops.plus(flops.batch(b.rows(), b.sourceWidth(), b.targetWidth()));
                    }
                    // The step's loss is the mean over all its label tokens, as if the micro-batches were one
                    // batch: each micro-batch's summed loss is divided by the step's token count (HF Trainer's
                    // num_items_in_batch), not averaged over its own tokens and then over micro-batches.
                    double factor = update.lossFactor(stepTokens);
                    for (EncodedBatch b : micro) {
                        truncSrc += b.truncatedSources();
                        truncTgt += b.truncatedTargets();
                        try (NDManager mm = sm.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray labels = b.labels(mm);
                            NDArray logits = model.forward(b.sourceIds(mm), b.sourceMask(mm),
                                    b.decoderInputs(labels, model.config()), true);
                            NDArray summed = lossFn.compute(logits, labels).summed();
                            // times the loss scale in fp16; a libtorch-owned constant: DJL frees plain-number
                            // operands autograd still needs
                            gc.backward(org.dialtune.model.nn.Scalars.mul(summed, factor));
                            stepLoss += summed.getFloat() / stepTokens;
                        }
                    }
                    if (!Double.isFinite(stepLoss)) {
                        throw new UserError("stage \"" + stage.name() + "\": loss is " + stepLoss + " at step " + step
                                + "; lower optimizer.lr or raise schedule warm-up (the last checkpoint is kept)");
                    }
                    outcome = update.apply(lr, sm); // a skipped fp16 step still counts as a step
                }
                losses.add(stepLoss);
                lastLoss = stepLoss;
                windowTokens += stepTokens;
                windowSteps++;
                state = new TrainerState(stage.name(), step, total, after.window(), after.batchInWindow(), state.bestScore(),
                        state.bestStep(), state.evalsWithoutGain(), stage.seed(), fingerprint, state.flops() + stepFlops.total());
                boolean budgetReached = stage.budgetReached(state.flops());

                if (step % options.logEvery() == 0 || step == total || budgetReached) {
                    double secs = (System.nanoTime() - windowStart) / 1e9;
                    JsonObject rec = logRecord(step, stepLoss, lr, outcome.gradNorm(), windowTokens / secs,
                            secs * 1000 / windowSteps);
                    if (scaler != null) {
                        rec.addProperty("loss_scale", scaler.scale());
                        rec.addProperty("skipped", outcome.skipped());
                    }
                    rec.addProperty("step_flops", stepFlops.total());
                    rec.addProperty("flops", state.flops());
                    if (budgetReached) rec.addProperty("stop", StopReason.BUDGET_FLOPS.label());
                    log.write(rec);
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                    windowSteps = 0;
                }
                progress.stepTo(step, String.format(java.util.Locale.ROOT, "loss %.4f", lastLoss));

                boolean evalNow = validator != null
                        && ((stage.eval().everySteps() > 0 && step % stage.eval().everySteps() == 0) || step == total);
                if (evalNow) {
                    state = validate(validator, model, tokenizer, out, state, log, initModel);
                    if (stage.eval().patience() > 0 && state.evalsWithoutGain() >= stage.eval().patience()) {
                        stoppedEarly = step < total;
                    }
                }
                if (stoppedEarly) stop = StopReason.PATIENCE;
                if (budgetReached && step < total) stop = StopReason.BUDGET_FLOPS;
                boolean checkpointNow = stage.checkpointEvery() > 0 && step % stage.checkpointEvery() == 0;
                if (checkpointNow || stop != StopReason.STEPS || step == total) {
                    TrainerState snapshot = state;
                    store.save(step, dir -> {
                        if (lora) {
                            Files.createDirectories(dir.resolve(ADAPTER));
                            PeftAdapter.writeInto(model, method.lora(), initModel.toString(), dir.resolve(ADAPTER));
                        } else {
                            Checkpoint.save(model, dir.resolve("model"), tokenizer.file());
                        }
                        OptimizerCheckpoint.save(opt, dir);
                        if (scaler != null) scaler.save(dir);
                        snapshot.save(dir);
                    });
                }
            }
            Path result = out.resolve("model");
            Path adapter = null;
            boolean best = validator != null && Files.isDirectory(out.resolve("best"));
            if (lora) {
                // the best validated adapter, else the last; model/ is the base with it merged in
                adapter = out.resolve(ADAPTER);
                if (best) {
                    List<NDArray> last = new ArrayList<>(model.projections().adapterTensors().values());
                    model.projections().detachAll();
                    last.forEach(NDArray::close);
                    PeftAdapter.load(model, out.resolve("best"));
                }
                PeftAdapter.save(model, method.lora(), initModel.toString(), adapter);
                Lora.merge(model);
                Checkpoint.save(model, result, tokenizer.file());
            } else if (best) {
                copyModel(out.resolve("best"), result);
            } else {
                Checkpoint.save(model, result, tokenizer.file());
            }
            return new Result(result, state.globalStep(), state.bestScore(), state.bestStep(), stoppedEarly, losses,
                    truncSrc, truncTgt, adapter, method.trainableCount(), method.totalCount(), state.flops(), stop);
        }
    }

    /** Sets the stage's method up on {@code model} (LoRA: fresh adapters, or those of the resumed checkpoint). */
    private TrainingMethod.Prepared prepareMethod(Seq2SeqLm model, Path resumedAdapter, String where) {
        prepared = TrainingMethod.apply(model, stage.method(), stage.seed(), resumedAdapter, where);
        return prepared;
    }

    /** The stage's batches from the stream position in {@code state}, drawn and tokenised ahead on a background thread. */
    private BatchPrefetcher batches(TaskMixture<Seq2SeqExample> mixture, TrainerState state, Seq2SeqLm model,
                                    Seq2SeqTokenizer tokenizer) {
        // the position table bounds every sequence: longer ones are truncated (and counted) to fit
        int maxSource = Math.min(stage.batch().maxSourceTokens(), model.config().maxPositions());
        int maxTarget = Math.min(stage.batch().maxTargetTokens(), model.config().maxPositions());
        BatchStream<Seq2SeqExample> stream = BatchStream.at(mixture, stage.batch().size(), options.bucketWindow(),
                e -> e.source().length() + e.target().length(), stage.seed(), state.position());
        return new BatchPrefetcher(stream, Seq2SeqTokenizer.load(tokenizer.file()), maxSource, maxTarget);
    }

    private TrainerState validate(Validator validator, Seq2SeqLm model, Seq2SeqTokenizer tokenizer, Path out, TrainerState s,
                                  TrainLog log, Path initModel) {
        double score = validator.score(model);
        if (!Double.isFinite(score)) throw new UserError("stage \"" + stage.name() + "\": validation score is " + score);
        boolean better = s.bestScore() == null || score > s.bestScore();
        if (better && prepared.lora() != null) {
            PeftAdapter.save(model, prepared.lora(), initModel.toString(), out.resolve("best"));
        } else if (better) {
            Checkpoint.save(model, out.resolve("best"), tokenizer.file());
        }
        JsonObject rec = new JsonObject();
        rec.addProperty("global_step", s.globalStep());
        rec.addProperty("stage", stage.name());
        rec.addProperty("validation_score", score);
        rec.addProperty("best", better);
        log.write(rec);
        return new TrainerState(s.stage(), s.globalStep(), s.totalSteps(), s.window(), s.batchInWindow(),
                better ? score : s.bestScore(), better ? s.globalStep() : s.bestStep(),
                better ? 0 : s.evalsWithoutGain() + 1, s.seed(), s.settingsFingerprint(), s.flops());
    }

    private JsonObject logRecord(long step, double loss, double lr, double gradNorm, double tokensPerS, double stepMs) {
        JsonObject o = new JsonObject();
        o.addProperty("global_step", step);
        o.addProperty("stage", stage.name());
        o.addProperty("loss", loss);
        o.addProperty("lr", lr);
        if (Double.isFinite(gradNorm)) {
            o.addProperty("grad_norm", gradNorm);
        } else {
            o.add("grad_norm", com.google.gson.JsonNull.INSTANCE); // a skipped fp16 step
        }
        o.addProperty("tokens_per_s", Math.round(tokensPerS * 10) / 10.0);
        o.addProperty("step_ms", Math.round(stepMs * 10) / 10.0);
        o.addProperty("rss_mb", org.dialtune.common.ProcessMemory.rssMb());
        return o;
    }

    /** The stage's AdamW settings; without {@code decay_bias_and_norm}, the family says which parameters decay. */
    private AdamW.Settings adamSettings(ModelFamily family) {
        StageSpec.Optim o = stage.optimizer();
        return new AdamW.Settings(o.beta1(), o.beta2(), o.eps(), o.weightDecay(),
                o.decayBiasAndNorm() ? n -> true : family::decays);
    }

    /** What must not change between a run and its resumption. */
    private String fingerprint(long total, TaskMixture<Seq2SeqExample> mixture) {
        // "/b2": batches of distinct examples; checkpoints of the earlier batching cannot resume exactly
        String fp = Integer.toHexString(Json.COMPACT.toJson(stage).hashCode()) + "/" + total + "/" + mixture.size() + "/b2";
        return options.precision() == Precision.FP32 ? fp : fp + "/" + options.precision().label();
    }

    private static void copyModel(Path from, Path to) {
        try {
            Path tmp = Files.createTempDirectory(to.toAbsolutePath().getParent(), ".model-");
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, tmp.resolve(f.getFileName()));
            }
            org.dialtune.common.AtomicFiles.shareable(tmp);
            org.dialtune.common.AtomicFiles.deleteTree(to);
            org.dialtune.common.AtomicFiles.moveIntoPlace(tmp, to);
        } catch (IOException e) {
            throw new UserError(to + ": cannot write model: " + e.getMessage(), e);
        }
    }
}
