package org.dialtune.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.SpecObject;
import org.dialtune.eval.EvalSpec;
import org.dialtune.train.StageSpec;

/**
 * An experiment grid (eval/experiments/*.json): starting models × conditions (the multi-task stages run
 * before few-shot, e.g. none / general / in-domain / general+in-domain) × zero-shot splits × shots ×
 * seeds × instructions on/off. Relative paths are resolved against a base directory (the working
 * directory for {@code experiment run}, the installation for the demo). See eval/README.md.
 *
 * @param conditions condition id → stage/run files, in order; an empty list trains nothing
 * @param fewShot the few-shot stage's settings (a stage object without name, tasks or few_shot)
 * @param evaluateSeen training tasks of the splits also scored in zero-shot cells, marked
 *     {@code seen} in results.csv: they show whether training taught the model anything at all
 * @param seenSplit the data split those tasks are scored on (by default the evaluation's split)
 * @param seenMaxExamples how many of their examples are scored (by default the evaluation's
 *     {@code max_examples}; 0 = all): rank scoring is cheap, and more examples make the estimate less noisy
 * @param methods the {@code methods} factor: id → training method every stage of a cell trains with (its
 *     multi-task and few-shot stages); empty without the factor (the stage files' own methods)
 * @param budgets the {@code budgets} factor: {@code budget_flops} values set on every stage of a cell;
 *     empty without the factor
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
        List<String> evaluateSeen,
        String seenSplit,
        int seenMaxExamples,
        Map<String, StageSpec.Method> methods,
        List<Double> budgets,
        Path file) {

    /** The methods factor's ids, or one "" (the stage files' methods) without it: what the plan iterates. */
    public List<String> methodIds() {
        return methods.isEmpty() ? List.of("") : List.copyOf(methods.keySet());
    }

    /** The budgets factor's values, or one NaN (no budget) without it. */
    public List<Double> budgetValues() {
        return budgets.isEmpty() ? List.of(Double.NaN) : budgets;
    }

    public static ExperimentSpec load(Path file, Path base) {
        SpecObject f = SpecObject.ofFile(file);
        String name = f.string("name");
        Map<String, Path> models = new LinkedHashMap<>();
        SpecObject m = f.objectOrEmpty("models");
        for (String id : m.allKeys()) models.put(id, base.resolve(m.string(id)));
        if (models.isEmpty()) throw f.error("models", "must name at least one starting model: {\"id\": \"checkpoint dir\"}");
        Map<String, List<Path>> conditions = new LinkedHashMap<>();
        SpecObject c = f.objectOrEmpty("conditions");
        for (String id : c.allKeys()) conditions.put(id, c.stringList(id).stream().map(base::resolve).toList());
        if (conditions.isEmpty()) conditions.put("none", List.of());
        List<Path> splits = f.stringList("splits").stream().map(base::resolve).toList();
        if (splits.isEmpty()) throw f.error("splits", "must list at least one split file");
        List<Integer> shots = new ArrayList<>();
        for (long k : f.longList("shots", List.of(0L), 0)) shots.add((int) k);
        List<Long> seeds = new ArrayList<>(f.longList("seeds", List.of(1L), 0));
        List<String> instructions = f.has("instructions") ? f.stringList("instructions") : List.of("on");
        for (String i : instructions) {
            if (!i.equals("on") && !i.equals("off")) throw f.error("instructions", "items must be \"on\" or \"off\", got \"" + i + "\"");
        }
        JsonObject fewShot = f.has("few_shot") ? objectOf(f, "few_shot") : new JsonObject();
        if (shots.stream().anyMatch(k -> k > 0) && !fewShot.has("steps") && !fewShot.has("epochs")) {
            throw f.error("few_shot", "needs \"steps\" or \"epochs\" when shots other than 0 are listed");
        }
        EvalSpec evaluate = EvalSpec.parse(f.objectOrEmpty("evaluate"), List.of());
        SpecObject seen = f.objectOrEmpty("evaluate_seen");
        List<String> seenTasks = seen.has("tasks") ? seen.stringList("tasks") : List.of();
        String seenSplit = seen.optString("split", evaluate.split());
        int seenMax = seen.optInt("max_examples", evaluate.maxExamples(), 0);
        seen.finish();
        Map<String, StageSpec.Method> methods = new LinkedHashMap<>();
        SpecObject ms = f.objectOrEmpty("methods");
        for (String id : ms.allKeys()) {
            if (!id.matches("[A-Za-z0-9._-]+")) throw ms.error(id, "method ids are letters, digits, '.', '_' and '-'");
            methods.put(id, StageSpec.Method.parse(ms.objectOrEmpty(id)));
        }
        List<Double> budgets = new ArrayList<>();
        if (f.has("budgets")) {
            com.google.gson.JsonElement b = f.get("budgets");
            if (!b.isJsonArray() || b.getAsJsonArray().isEmpty()) throw f.error("budgets", "must be a non-empty list of FLOP counts, e.g. [1e12, 3e12]");
            for (com.google.gson.JsonElement e : b.getAsJsonArray()) {
                double v = e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : Double.NaN;
                if (!(v > 0) || Double.isInfinite(v)) throw f.error("budgets", "items must be FLOP counts > 0, got " + e);
                if (budgets.contains(v)) throw f.error("budgets", "lists " + e + " twice");
                budgets.add(v);
            }
        }
        f.finish();
        return new ExperimentSpec(name, models, conditions, splits, List.copyOf(shots), List.copyOf(seeds),
                List.copyOf(instructions), fewShot, evaluate, List.copyOf(seenTasks), seenSplit, seenMax, methods,
                List.copyOf(budgets), file);
    }

    /** The same grid started from other models (the demo's freshly initialised one). */
    public ExperimentSpec withModels(Map<String, Path> other) {
        return new ExperimentSpec(name, new LinkedHashMap<>(other), conditions, splits, shots, seeds, instructions,
                fewShot, evaluate, evaluateSeen, seenSplit, seenMaxExamples, methods, budgets, file);
    }


    private static JsonObject objectOf(SpecObject f, String key) {
        JsonElement e = f.get(key);
        if (!e.isJsonObject()) throw f.error(key, "must be an object");
        return e.getAsJsonObject().deepCopy();
    }
}
