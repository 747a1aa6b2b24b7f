package org.dialtune.eval.experiment;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.JsonFields;
import org.dialtune.eval.EvalSpec;

/**
 * An experiment grid (eval/experiments/*.json): starting models × conditions (the multi-task stages run
 * before few-shot, e.g. none / general / in-domain / general+in-domain) × zero-shot splits × shots ×
 * seeds × instructions on/off. Relative paths are resolved against a base directory (the working
 * directory for {@code experiment run}, the installation for the demo). See eval/README.md.
 *
 * @param conditions condition id → stage/run files, in order; an empty list trains nothing
 * @param fewShot the few-shot stage's settings (a stage object without name, tasks or few_shot)
 */
public record ExperimentSpec(
        String name,
        Map<String, Path> models,
        Map<String, List<Path>> conditions,
        List<Path> splits,
        List<Integer> shots,
        List<Long> seeds,
        List<String> instructions,
        JsonObject fewShot,
        EvalSpec evaluate,
        Path file) {

    public static ExperimentSpec load(Path file, Path base) {
        JsonFields f = JsonFields.ofFile(file);
        String name = f.string("name");
        Map<String, Path> models = new LinkedHashMap<>();
        JsonFields m = f.object("models");
        for (String id : m.keys()) models.put(id, base.resolve(m.string(id)));
        if (models.isEmpty()) throw f.error("models", "must name at least one starting model: {\"id\": \"checkpoint dir\"}");
        Map<String, List<Path>> conditions = new LinkedHashMap<>();
        JsonFields c = f.object("conditions");
        for (String id : c.keys()) conditions.put(id, c.strings(id).stream().map(base::resolve).toList());
        if (conditions.isEmpty()) conditions.put("none", List.of());
        List<Path> splits = f.strings("splits").stream().map(base::resolve).toList();
        if (splits.isEmpty()) throw f.error("splits", "must list at least one split file");
        List<Integer> shots = new ArrayList<>();
        for (long k : f.integers("shots", List.of(0L))) shots.add((int) nonNegative(f, "shots", k));
        List<Long> seeds = new ArrayList<>();
        for (long s : f.integers("seeds", List.of(1L))) seeds.add(nonNegative(f, "seeds", s));
        List<String> instructions = f.strings("instructions", List.of("on"));
        for (String i : instructions) {
            if (!i.equals("on") && !i.equals("off")) throw f.error("instructions", "items must be \"on\" or \"off\", got \"" + i + "\"");
        }
        JsonObject fewShot = f.has("few_shot") ? objectOf(f, "few_shot") : new JsonObject();
        if (shots.stream().anyMatch(k -> k > 0) && !fewShot.has("steps") && !fewShot.has("epochs")) {
            throw f.error("few_shot", "needs \"steps\" or \"epochs\" when shots other than 0 are listed");
        }
        EvalSpec evaluate = EvalSpec.parse(f.object("evaluate"), List.of());
        f.finish();
        return new ExperimentSpec(name, models, conditions, splits, List.copyOf(shots), List.copyOf(seeds),
                List.copyOf(instructions), fewShot, evaluate, file);
    }

    /** The same grid started from other models (the demo's freshly initialised one). */
    public ExperimentSpec withModels(Map<String, Path> other) {
        return new ExperimentSpec(name, new LinkedHashMap<>(other), conditions, splits, shots, seeds, instructions,
                fewShot, evaluate, file);
    }

    private static long nonNegative(JsonFields f, String key, long v) {
        if (v < 0) throw f.error(key, "items must be >= 0, got " + v);
        return v;
    }

    private static JsonObject objectOf(JsonFields f, String key) {
        JsonElement e = f.raw(key);
        if (!e.isJsonObject()) throw f.error(key, "must be an object");
        return e.getAsJsonObject().deepCopy();
    }
}
