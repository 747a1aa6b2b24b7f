package org.dialtune.train;

import com.google.gson.JsonParseException;
import java.nio.file.Path;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * Where a stage's training stands, saved with every checkpoint: steps done, the batch stream's
 * position, model-selection bookkeeping ({@code bestScore} null until the first validation), and what the run was started with (checked on resume so a
 * checkpoint is never continued with different settings by mistake), and the training FLOPs spent so far
 * ({@link FlopCounter}; 0 in states written before they were counted).
 */
public record TrainerState(
        String stage,
        long globalStep,
        long totalSteps,
        long window,
        int batchInWindow,
        Double bestScore,
        long bestStep,
        int evalsWithoutGain,
        long seed,
        String settingsFingerprint,
        double flops) {

    static final String FILE = "trainer_state.json";

    BatchStream.Position position() {
        return new BatchStream.Position(window, batchInWindow);
    }

    void save(Path dir) {
        AtomicFiles.writeString(dir.resolve(FILE), Json.PRETTY.toJson(this) + "\n");
    }

    static TrainerState load(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            TrainerState s = Json.COMPACT.fromJson(Json.parseFile(f), TrainerState.class);
            if (s == null || s.stage() == null || s.settingsFingerprint() == null) {
                throw new UserError(f + ": incomplete trainer state (delete this checkpoint directory to resume from an earlier one)");
            }
            return s;
        } catch (JsonParseException e) {
            throw new UserError(f + ": unreadable trainer state: " + Json.cleanGsonMessage(e));
        }
    }
}
