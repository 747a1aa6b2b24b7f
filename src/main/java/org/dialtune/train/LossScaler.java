package org.dialtune.train;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.Precision;

/**
 * Dynamic loss scaling for float16 training, with {@code torch.cuda.amp.GradScaler}'s rules: the
 * loss is multiplied by the scale before backward so small gradients survive float16; a step whose
 * gradients overflowed is skipped and halves the scale; after {@code growthInterval} good steps in a
 * row the scale doubles. Its state is saved with each checkpoint, so a resumed run scales exactly as
 * an unbroken one.
 */
public final class LossScaler {
    static final String FILE = "loss_scaler.json";
    static final double INITIAL_SCALE = 65536.0;
    static final int GROWTH_INTERVAL = 2000;
    private static final double GROWTH = 2.0;
    private static final double BACKOFF = 0.5;

    private final int growthInterval;
    private double scale;
    private int goodSteps;

    public LossScaler() {
        this(INITIAL_SCALE, GROWTH_INTERVAL);
    }

    /** A fresh scaler for FP16 training, none (null) for FP32. */
    static LossScaler forPrecision(Precision precision) {
        return precision == Precision.FP16 ? new LossScaler() : null;
    }

    LossScaler(double initialScale, int growthInterval) {
        this.scale = initialScale;
        this.growthInterval = growthInterval;
    }

    public double scale() {
        return scale;
    }

    /**
     * Called after backward with the norm of the gradients of the loss times {@link #scale()} (read
     * before this call: the caller divides the gradients by that value). Finite: counts a good step,
     * doubling the scale after enough of them, and returns true. Not finite: halves the scale and
     * returns false; the caller skips the optimiser step.
     */
    public boolean update(double scaledNorm) {
        if (!Double.isFinite(scaledNorm)) {
            scale *= BACKOFF;
            goodSteps = 0;
            return false;
        }
        if (++goodSteps >= growthInterval) {
            scale *= GROWTH;
            goodSteps = 0;
        }
        return true;
    }

    void save(Path dir) {
        JsonObject o = new JsonObject();
        o.addProperty("scale", scale);
        o.addProperty("good_steps", goodSteps);
        AtomicFiles.writeString(dir.resolve(FILE), Json.PRETTY.toJson(o) + "\n");
    }

    /** Restores the state saved in checkpoint {@code dir}. */
    void restore(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new UserError(f + ": missing: this checkpoint was not written by an fp16 run; resume with the"
                    + " precision it was trained in");
        }
        try {
            JsonObject o = Json.parseFile(f).getAsJsonObject();
            double s = o.get("scale").getAsDouble();
            int g = o.get("good_steps").getAsInt();
            if (!(s > 0) || Double.isInfinite(s) || g < 0) throw new IllegalStateException("out of range");
            scale = s;
            goodSteps = g;
        } catch (RuntimeException e) {
            if (e instanceof UserError u) throw u;
            throw new UserError(f + ": fields \"scale\" (> 0) and \"good_steps\" (>= 0) are missing or invalid;"
                    + " delete this checkpoint directory to resume from an earlier one");
        }
    }
}
