package org.dialtune.pipeline;

import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.common.SpecObject;
import org.dialtune.common.UserError;
import org.dialtune.eval.EvalSpec;
import org.dialtune.train.StageSpec;

/**
 * A training run file: one stage object, or {@code {"stages": [...], "evaluate": {...}}}; the optional
 * {@code evaluate} block scores the final model (its tasks default to the few-shot target task).
 */
public record RunSpec(List<StageSpec> stages, EvalSpec evaluate) {
    public static RunSpec load(Path file) {
        JsonElement root = Json.parseFile(file);
        if (!root.isJsonObject()) throw new UserError(file + ": expected a stage object or {\"stages\": [...]}");
        SpecObject f = new SpecObject(file, "", root.getAsJsonObject());
        if (!f.has("stages")) return new RunSpec(List.of(StageSpec.parse(f)), null);
        JsonElement list = root.getAsJsonObject().get("stages");
        if (!list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw f.error("stages", "must be a non-empty list of stage objects");
        }
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < list.getAsJsonArray().size(); i++) {
            JsonElement s = list.getAsJsonArray().get(i);
            if (!s.isJsonObject()) throw new UserError(file + ": field \"stages[" + i + "]\" must be an object");
            stages.add(StageSpec.parse(new SpecObject(file, "stages[" + i + "]", s.getAsJsonObject())));
        }
        EvalSpec evaluate = null;
        if (f.object("evaluate") != null) {
            List<String> fewShotTasks = stages.stream().filter(s -> s.fewShot() != null).map(s -> s.fewShot().task())
                    .distinct().toList();
            evaluate = EvalSpec.parse(f.object("evaluate"), fewShotTasks);
            if (evaluate.tasks().isEmpty()) {
                throw f.error("evaluate", "names no tasks: add \"tasks\": [...] or a few-shot stage");
            }
        }
        f.finish();
        return new RunSpec(List.copyOf(stages), evaluate);
    }
}
