package org.dialtune.train;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.model.lora.LoraSettings;

/**
 * One training stage as data: which tasks, how they mix, with or without instructions, how long,
 * with which optimiser, and where its weights start. A run is a list of stages (e.g. general MTL →
 * in-domain MTL → few-shot); each starts from the previous stage's result unless {@code init} names
 * a checkpoint directory. See {@code eval/README.md} for the file format.
 *
 * @param budgetFlops training FLOPs ({@link FlopCounter}) after which the stage stops, null for none: it
 *     ends after the step that reaches them; steps/epochs still set the length of the lr schedule
 */
public record StageSpec(
        String name,
        String init,
        List<String> tasks,
        SplitRef split,
        String instructions,
        MixtureSettings mixture,
        long steps,
        double epochs,
        Batch batch,
        Optim optimizer,
        Schedule schedule,
        double labelSmoothing,
        FewShot fewShot,
        Eval eval,
        long checkpointEvery,
        long seed,
        Method method,
        Double budgetFlops) {

    /** Start from the previous stage (or the run's starting model for the first stage). */
    public static final String INIT_PREVIOUS = "previous";

    /** The train or test part of a zero-shot split file in {@code eval/splits/}. */
    public record SplitRef(String file, String part) {}

    /** Examples per optimiser step = size × accumulation; lengths in tokens, longer ones truncated and counted. */
    public record Batch(int size, int accumulation, int maxSourceTokens, int maxTargetTokens) {}

    /** AdamW settings; {@code decayBiasAndNorm = false} exempts biases and LayerNorm weights (the usual choice). */
    public record Optim(double lr, double weightDecay, double beta1, double beta2, double eps,
                        boolean decayBiasAndNorm, double clipNorm) {}

    /** {@code warmupSteps} wins over {@code warmupRatio} when both are given. */
    public record Schedule(LrSchedule.Kind kind, long warmupSteps, double warmupRatio) {
        public long warmupFor(long totalSteps) {
            return warmupSteps >= 0 ? warmupSteps : Math.round(warmupRatio * totalSteps);
        }
    }

    /** Few-shot fine-tuning on one target task: k training and k validation examples drawn with the seed. */
    public record FewShot(String task, int k) {}

    /** Whether training FLOPs {@code flops} have reached the stage's {@code budget_flops} (never without one). */
    public boolean budgetReached(double flops) {
        return budgetFlops != null && flops >= budgetFlops;
    }

    /** Validation every {@code everySteps} (0 = only at the end); stop after {@code patience} evaluations without gain (0 = never). */
    public record Eval(long everySteps, int patience) {}

    /**
     * Which parameters train ({@link TrainingMethod}): {@code full}; {@code freeze} (the embeddings and/or the
     * lowest N encoder/decoder blocks stay fixed); {@code bitfit} (biases only); {@code lora} (adapters on
     * the projections {@code lora} targets; empty targets = the family's default, PEFT's: query and value;
     * or, with {@code loraInit}, an existing adapter directory to continue, whose settings it keeps).
     */
    public record Method(String kind, boolean freezeEmbeddings, int freezeEncoderLayers, int freezeDecoderLayers,
                         LoraSettings lora, String loraInit) {
        public static final List<String> KINDS = List.of("full", "freeze", "bitfit", "lora");
        public static final Method FULL = new Method("full", false, 0, 0, null, null);

        public boolean isLora() {
            return kind.equals("lora");
        }

        public static Method parse(SpecObject m) {
            String kind = m.optString("kind", "full");
            if (!KINDS.contains(kind)) throw m.error("kind", "unknown method \"" + kind + "\" (use " + String.join(", ", KINDS) + ")");
            for (String k : List.of("freeze_embeddings", "freeze_encoder_layers", "freeze_decoder_layers")) {
                if (m.has(k) && !kind.equals("freeze")) throw m.error(k, "applies to kind \"freeze\" only (kind is \"" + kind + "\")");
            }
            if (m.has("lora") && !kind.equals("lora")) throw m.error("lora", "applies to kind \"lora\" only (kind is \"" + kind + "\")");
            boolean embeddings = m.optBoolean("freeze_embeddings", false);
            int enc = m.optInt("freeze_encoder_layers", 0, 0);
            int dec = m.optInt("freeze_decoder_layers", 0, 0);
            if (kind.equals("freeze") && !embeddings && enc == 0 && dec == 0) {
                throw m.error("kind", "\"freeze\" freezes nothing: set freeze_embeddings, freeze_encoder_layers or "
                        + "freeze_decoder_layers");
            }
            LoraSettings lora = null;
            String loraInit = null;
            if (kind.equals("lora")) {
                SpecObject l = m.objectOrEmpty("lora");
                if (l.has("init")) {
                    // an existing adapter (PEFT's format) to continue: its own config says what it is
                    loraInit = l.string("init");
                    for (String k : List.of("r", "alpha", "dropout", "targets")) {
                        if (l.has(k)) throw l.error(k, "comes from the adapter's adapter_config.json when \"init\" is given");
                    }
                    l.finish();
                    m.finish();
                    return new Method(kind, false, 0, 0, null, loraInit);
                }
                int r = l.optInt("r", 8, 1);
                double alpha = l.optNumber("alpha", 16);
                if (!(alpha > 0)) throw l.error("alpha", "must be > 0, got " + alpha);
                double dropout = l.optNumber("dropout", 0.0);
                if (dropout < 0 || dropout >= 1) throw l.error("dropout", "must be in [0, 1), got " + dropout);
                List<String> targets = l.stringList("targets");
                java.util.Set<String> known = new java.util.TreeSet<>();
                for (String type : org.dialtune.model.ModelFamilies.known()) {
                    known.addAll(org.dialtune.model.ModelFamilies.forType(type, m.file()).loraTargets());
                }
                for (String t : targets) {
                    if (!known.contains(t)) {
                        throw l.error("targets", "unknown projection \"" + t + "\" (BART: q_proj, k_proj, v_proj, out_proj, "
                                + "fc1, fc2; T5: q, k, v, o, wi, wi_0, wi_1, wo)");
                    }
                }
                if (l.has("targets") && targets.isEmpty()) throw l.error("targets", "is empty: name at least one projection");
                l.finish();
                lora = new LoraSettings(r, alpha, dropout, targets);
            }
            m.finish();
            return new Method(kind, embeddings, enc, dec, lora, null);
        }
    }

    /** Placeholder for the split file in experiment stage files: each grid cell fills in its split. */
    public static final String SPLIT_PLACEHOLDER = "$SPLIT";

    /** This stage with {@code $SPLIT} in {@code split.file} replaced by {@code splitFile}. */
    public StageSpec withSplitFile(Path splitFile) {
        if (split == null || !split.file().equals(SPLIT_PLACEHOLDER)) return this;
        return new StageSpec(name, init, tasks, new SplitRef(splitFile.toString(), split.part()), instructions, mixture,
                steps, epochs, batch, optimizer, schedule, labelSmoothing, fewShot, eval, checkpointEvery, seed, method,
                budgetFlops);
    }

    /** This stage with another seed and instruction mode (experiments vary both per cell). */
    public StageSpec withSeedAndInstructions(long newSeed, String newInstructions) {
        return new StageSpec(name, init, tasks, split, newInstructions, mixture, steps, epochs, batch, optimizer,
                schedule, labelSmoothing, fewShot, eval, checkpointEvery, newSeed, method, budgetFlops);
    }

    /** This stage trained with {@code newMethod} (an experiment's {@code methods} factor). */
    public StageSpec withMethod(Method newMethod) {
        return new StageSpec(name, init, tasks, split, instructions, mixture, steps, epochs, batch, optimizer, schedule,
                labelSmoothing, fewShot, eval, checkpointEvery, seed, newMethod, budgetFlops);
    }

    /** This stage stopped at {@code newBudget} training FLOPs (an experiment's {@code budgets} factor). */
    public StageSpec withBudgetFlops(double newBudget) {
        return new StageSpec(name, init, tasks, split, instructions, mixture, steps, epochs, batch, optimizer, schedule,
                labelSmoothing, fewShot, eval, checkpointEvery, seed, method, newBudget);
    }

    public static StageSpec parse(SpecObject f) {
        String name = f.string("name");
        String init = f.optString("init", INIT_PREVIOUS);
        List<String> tasks = f.stringList("tasks");
        SplitRef split = null;
        SpecObject s0 = f.object("split");
        if (s0 != null) {
            split = new SplitRef(s0.string("file"), s0.optString("part", "train"));
            if (!split.part().equals("train") && !split.part().equals("test")) {
                throw s0.error("part", "must be \"train\" or \"test\", got \"" + split.part() + "\"");
            }
            s0.finish();
        }
        FewShot fewShot = null;
        SpecObject fs = f.object("few_shot");
        if (fs != null) {
            fewShot = new FewShot(fs.string("task"), fs.optInt("k", 10, 1));
            fs.finish();
        }
        int sources = (tasks.isEmpty() ? 0 : 1) + (split == null ? 0 : 1) + (fewShot == null ? 0 : 1);
        if (sources != 1) {
            throw new UserError(f.file() + ": a stage needs exactly one of the fields \"tasks\" (a list), \"split\" or \"few_shot\"");
        }
        String instructions = f.optString("instructions", "on");

        SpecObject m = f.objectOrEmpty("mixture");
        MixtureSettings mixture = new MixtureSettings(
                MixtureSettings.parseMode(m.optString("mode", "proportional"), f.file() + ": field \"" + m.name("mode") + "\""),
                m.optInt("cap", 0, 0), m.optNumber("temperature", 1.0));
        m.finish();

        boolean hasSteps = f.has("steps");
        boolean hasEpochs = f.has("epochs");
        if (hasSteps == hasEpochs) {
            throw new UserError(f.file() + ": give exactly one of the fields \"" + f.name("steps") + "\" or \""
                    + f.name("epochs") + "\"");
        }
        long steps = f.optLong("steps", 0, 1);
        double epochs = f.optNumber("epochs", 0);
        if (hasEpochs && !(epochs > 0)) throw f.error("epochs", "must be > 0, got " + epochs);

        SpecObject b = f.objectOrEmpty("batch");
        Batch batch = new Batch(b.optInt("size", 8, 1), b.optInt("accumulation", 1, 1),
                b.optInt("max_source_tokens", 512, 1), b.optInt("max_target_tokens", 128, 1));
        b.finish();

        SpecObject o = f.objectOrEmpty("optimizer");
        Optim optim = new Optim(o.optNumber("lr", 5e-5), o.optNumber("weight_decay", 0.01), o.optNumber("beta1", 0.9),
                o.optNumber("beta2", 0.999), o.optNumber("eps", 1e-8), o.optBoolean("decay_bias_and_norm", false),
                o.optNumber("clip_norm", 1.0));
        if (!(optim.lr() > 0)) throw o.error("lr", "must be > 0, got " + optim.lr());
        o.finish();

        SpecObject sc = f.objectOrEmpty("schedule");
        Schedule schedule = new Schedule(
                LrSchedule.Kind.parse(sc.optString("kind", "linear"), f.file() + ": field \"" + sc.name("kind") + "\""),
                sc.optLong("warmup_steps", -1, 0), sc.optNumber("warmup_ratio", 0.0));
        if (schedule.warmupRatio() < 0 || schedule.warmupRatio() >= 1) {
            throw sc.error("warmup_ratio", "must be in [0, 1), got " + schedule.warmupRatio());
        }
        sc.finish();

        double labelSmoothing = f.optNumber("label_smoothing", 0.0);
        if (labelSmoothing < 0 || labelSmoothing >= 1) throw f.error("label_smoothing", "must be in [0, 1), got " + labelSmoothing);

        SpecObject e = f.objectOrEmpty("eval");
        Eval eval = new Eval(e.optLong("every_steps", 0, 0), e.optInt("patience", 0, 0));
        e.finish();

        long checkpointEvery = f.optLong("checkpoint_every", 0, 0);
        long seed = f.optLong("seed", 1, 0);
        Method method = Method.parse(f.objectOrEmpty("method"));
        Double budgetFlops = null;
        if (f.has("budget_flops")) {
            budgetFlops = f.optNumber("budget_flops", 0);
            if (!(budgetFlops > 0) || budgetFlops.isInfinite()) {
                throw f.error("budget_flops", "must be a number of FLOPs > 0 (e.g. 1e15), got " + budgetFlops);
            }
        }
        f.finish();
        return new StageSpec(name, init, tasks, split, instructions, mixture, steps, epochs, batch, optim, schedule,
                labelSmoothing, fewShot, eval, checkpointEvery, seed, method, budgetFlops);
    }
}
