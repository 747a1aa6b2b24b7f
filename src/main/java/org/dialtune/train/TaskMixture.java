package org.dialtune.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.dialtune.common.UserError;

/**
 * An endless, seeded stream of training examples drawn from several tasks.
 *
 * <p>Each draw picks a task by its {@link MixtureSettings} weight, then the task's next example in a
 * per-epoch shuffled order (every example of a task is seen once before any is repeated). The
 * stream is a pure function of the seed and the number of draws, so exact resume only has to store
 * {@link Stream#position()} and {@link #stream(long)} replays to it: drawing is cheap next to a
 * training step, and no random-generator internals need saving.
 *
 * @param <T> the example type
 */
public final class TaskMixture<T> {
    private final List<String> tasks;
    private final List<List<T>> examples;
    private final double[] cumulative;
    private final long seed;

    /** {@code byTask} is read in sorted task order, so the map's own order never matters. */
    public TaskMixture(Map<String, List<T>> byTask, MixtureSettings settings, long seed) {
        if (byTask.isEmpty()) throw new UserError("a training stage needs at least one task");
        TreeMap<String, List<T>> sorted = new TreeMap<>(byTask);
        this.tasks = List.copyOf(sorted.keySet());
        this.examples = new ArrayList<>();
        this.cumulative = new double[tasks.size()];
        double total = 0;
        int i = 0;
        for (Map.Entry<String, List<T>> e : sorted.entrySet()) {
            if (e.getValue().isEmpty()) throw new UserError("task \"" + e.getKey() + "\" has no training examples");
            examples.add(List.copyOf(e.getValue()));
            total += settings.weight(e.getValue().size());
            cumulative[i++] = total;
        }
        for (int j = 0; j < cumulative.length; j++) cumulative[j] /= total;
        this.seed = seed;
    }

    public List<String> tasks() {
        return tasks;
    }

    /** Probability of drawing each task, in {@link #tasks()} order. */
    public Map<String, Double> rates() {
        Map<String, Double> r = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) r.put(tasks.get(i), cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]));
        return r;
    }

    /** Total number of examples over all tasks (one "epoch" of the mixture). */
    public long size() {
        return examples.stream().mapToLong(List::size).sum();
    }

    /** A stream positioned after {@code position} draws. */
    public Stream stream(long position) {
        Stream s = new Stream();
        for (long i = 0; i < position; i++) s.next();
        return s;
    }

    /** One draw: the task and the example. */
    public record Draw<T>(String task, T example) {}

    /** A position in the mixture's stream of draws. */
    public final class Stream {
        private final Random taskChoice = new Random(seed);
        private final int[] cursor = new int[tasks.size()];
        private final int[] epoch = new int[tasks.size()];
        private final List<List<Integer>> order = new ArrayList<>();
        private long position;

        private Stream() {
            for (int t = 0; t < tasks.size(); t++) order.add(shuffled(t, 0));
        }

        public long position() {
            return position;
        }

        public Draw<T> next() {
            int t = pickTask(taskChoice.nextDouble());
            if (cursor[t] == examples.get(t).size()) {
                epoch[t]++;
                cursor[t] = 0;
                order.set(t, shuffled(t, epoch[t]));
            }
            position++;
            return new Draw<>(tasks.get(t), examples.get(t).get(order.get(t).get(cursor[t]++)));
        }

        public List<Draw<T>> next(int n) {
            List<Draw<T>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(next());
            return out;
        }

        private int pickTask(double u) {
            for (int t = 0; t < cumulative.length - 1; t++) if (u < cumulative[t]) return t;
            return cumulative.length - 1;
        }

        private List<Integer> shuffled(int task, int ep) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < examples.get(task).size(); i++) idx.add(i);
            // Own generator per (seed, task, epoch): a task's order does not depend on the others.
            Collections.shuffle(idx, new Random(mix(seed, tasks.get(task).hashCode(), ep)));
            return idx;
        }
    }

    /** SplitMix64-style mixing so nearby seeds give unrelated generators. */
    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
