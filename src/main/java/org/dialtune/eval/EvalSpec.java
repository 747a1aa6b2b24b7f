package org.dialtune.eval;

import java.util.List;
import java.util.Locale;
import org.dialtune.common.SpecObject;

/**
 * What to evaluate after training, as run and experiment files write it:
 * {@code {"tasks": [...], "split": "test", "max_examples": 200, "scoring": "task", "instructions": "on"}}.
 * An empty task list is filled in by the caller (see {@link #withTasks}). {@code max_examples} keeps a seeded, fixed subset (the same for every model and seed, so
 * conditions are compared on the same examples); 0 means all.
 */
public record EvalSpec(List<String> tasks, String split, int maxExamples, TaskEvaluator.ClassificationScoring scoring,
                       String instructions, TaskEvaluator.Settings settings) {

    public static EvalSpec parse(SpecObject f, List<String> defaultTasks) {
        List<String> tasks = f.has("tasks") ? f.stringList("tasks") : defaultTasks;
        String split = f.optString("split", "test");
        int max = f.optInt("max_examples", 200, 0);
        String s = f.optString("scoring", "task");
        TaskEvaluator.ClassificationScoring scoring;
        try {
            scoring = TaskEvaluator.ClassificationScoring.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw f.error("scoring", "is \"" + s + "\"; use task, rank or generate");
        }
        String instructions = f.optString("instructions", "on");
        TaskEvaluator.Settings d = TaskEvaluator.Settings.defaults();
        TaskEvaluator.Settings settings = new TaskEvaluator.Settings(f.optInt("batch_size", d.batchSize(), 1),
                f.optInt("max_source_tokens", d.maxSourceTokens(), 1),
                f.optInt("max_new_tokens", d.maxNewTokens(), 1),
                f.optInt("max_new_tokens_classification", d.maxNewTokensClassification(), 1),
                f.optInt("num_beams", d.numBeams(), 1), scoring);
        f.finish();
        return new EvalSpec(List.copyOf(tasks), split, max, scoring, instructions, settings);
    }

    /** The same evaluation over other tasks (experiments evaluate each split's test tasks). */
    public EvalSpec withTasks(List<String> other) {
        return new EvalSpec(List.copyOf(other), split, maxExamples, scoring, instructions, settings);
    }

    /** The same evaluation on another data split (experiments score seen tasks on the split they ask for). */
    public EvalSpec withSplit(String other) {
        return new EvalSpec(tasks, other, maxExamples, scoring, instructions, settings);
    }

    /** The same evaluation on another number of examples (0 = all; experiments' seen tasks set their own). */
    public EvalSpec withMaxExamples(int max) {
        return new EvalSpec(tasks, split, max, scoring, instructions, settings);
    }

    /** The same evaluation with another instruction mode (experiments vary it per grid cell). */
    public EvalSpec withInstructions(String mode) {
        return new EvalSpec(tasks, split, maxExamples, scoring, mode, settings);
    }

    /** The examples to score: all, or a subset fixed by a seed that does not depend on the run. */
    public <T> List<T> subset(List<T> all) {
        return subset(all, 0x5EEDL);
    }

    /** A subset drawn with {@code seed}: different seeds give different samples of the split. */
    public <T> List<T> subset(List<T> all, long seed) {
        if (maxExamples == 0 || all.size() <= maxExamples) return all;
        List<T> copy = new java.util.ArrayList<>(all);
        java.util.Collections.shuffle(copy, new java.util.Random(seed));
        return List.copyOf(copy.subList(0, maxExamples));
    }
}
