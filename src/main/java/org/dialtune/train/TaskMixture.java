package org.dialtune.train;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.dialtune.common.SeedMix;
import org.dialtune.common.UserError;

/**
 * An endless, seeded stream of training examples drawn from several tasks.
 *
 * <p>Each draw picks a task by its {@link MixtureSettings} weight, then takes the task's next example
 * in line: a task's examples are drawn without replacement in a shuffled order and reshuffled when
 * exhausted, so each task has its own epochs and every example of a task is seen once per epoch. A
 * caller that must not repeat an example (a batch, see {@link BatchStream}) passes the examples to
 * avoid; they keep their place at the front of the line. The task of every draw is a pure function
 * of the seed and the draw number, so the mix of tasks is exactly the weights' whatever is avoided.
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

    /** Number of examples of the task at {@code task} (an index into {@link #tasks()}). */
    public int size(int task) {
        return examples.get(task).size();
    }

    /**
     * The task of draw number {@code draw} (an index into {@link #tasks()}): a pure function of the
     * seed and the draw number, so the task sequence never depends on which examples were taken.
     */
    public int taskOf(long draw) {
        double u = (SeedMix.mix(seed, draw, 0x7A5C) >>> 11) * 0x1.0p-53;
        for (int t = 0; t < cumulative.length - 1; t++) if (u < cumulative[t]) return t;
        return cumulative.length - 1;
    }

    /** A stream positioned after {@code position} plain draws ({@link Stream#next()}). */
    public Stream stream(long position) {
        Stream s = new Stream();
        for (long i = 0; i < position; i++) s.next();
        return s;
    }

    /** One draw: the task, the example's index in that task's pool, and the example. */
    public record Draw<T>(String task, int index, T example) {}

    /** A position in the mixture's stream of draws. */
    public final class Stream {
        private final List<Line> lines = new ArrayList<>();
        private long position;

        private Stream() {
            for (int t = 0; t < tasks.size(); t++) lines.add(new Line(t));
        }

        public long position() {
            return position;
        }

        /** The task index the next draw comes from. */
        public int nextTask() {
            return taskOf(position);
        }

        /** The next draw: its task's next example in line. */
        public Draw<T> next() {
            return next(new BitSet());
        }

        /**
         * The next draw, passing over the examples of its task set in {@code avoid} (indices into the
         * task's pool): those keep their place at the front of the task's line. {@code avoid} must leave
         * at least one of the task's examples free.
         */
        public Draw<T> next(BitSet avoid) {
            int t = nextTask();
            int index = lines.get(t).take(avoid);
            position++;
            return new Draw<>(tasks.get(t), index, examples.get(t).get(index));
        }

        public List<Draw<T>> next(int n) {
            List<Draw<T>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(next());
            return out;
        }
    }

    /**
     * One task's line of examples: each epoch's shuffled order, one after the other. Examples passed
     * over wait at the front, so every example is still taken once per epoch, at most one epoch late.
     */
    private final class Line {
        private final int task;
        private final List<Integer> waiting = new ArrayList<>();
        private int epoch;
        private int cursor;
        private List<Integer> order;

        Line(int task) {
            this.task = task;
            this.order = shuffled(0);
        }

        int take(BitSet avoid) {
            if (avoid.cardinality() >= examples.get(task).size()) {
                throw new IllegalStateException("every example of task " + tasks.get(task) + " is avoided");
            }
            for (int i = 0; i < waiting.size(); i++) if (!avoid.get(waiting.get(i))) return waiting.remove(i);
            while (true) {
                if (cursor == order.size()) {
                    epoch++;
                    cursor = 0;
                    order = shuffled(epoch);
                }
                int index = order.get(cursor++);
                if (!avoid.get(index)) return index;
                waiting.add(index);
            }
        }

        private List<Integer> shuffled(int ep) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < examples.get(task).size(); i++) idx.add(i);
            // Own generator per (seed, task, epoch): a task's order does not depend on the others.
            Collections.shuffle(idx, new Random(SeedMix.mix(seed, tasks.get(task).hashCode(), ep)));
            return idx;
        }
    }

}
