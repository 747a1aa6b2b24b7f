package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchStreamTest {
    private final TaskMixture<String> mixture = new TaskMixture<>(Map.of(
            "short", IntStream.range(0, 40).mapToObj(i -> "s".repeat(1 + i % 5)).toList(),
            "long", IntStream.range(0, 40).mapToObj(i -> "l".repeat(50 + i)).toList()),
            MixtureSettings.PROPORTIONAL, 5);

    private BatchStream<String> stream(int windowBatches, BatchStream.Position p) {
        return BatchStream.at(mixture, 4, windowBatches, String::length, 11, p);
    }

    @Test
    void bucketingGroupsSimilarLengthsAndKeepsEveryDraw() {
        BatchStream<String> bucketed = stream(8, new BatchStream.Position(0, 0));
        List<String> seen = new ArrayList<>();
        int mixedBatches = 0;
        for (int i = 0; i < 8; i++) {
            List<TaskMixture.Draw<String>> b = bucketed.next();
            assertEquals(4, b.size());
            if (b.stream().map(TaskMixture.Draw::task).distinct().count() > 1) mixedBatches++;
            b.forEach(d -> seen.add(d.example()));
        }
        // sorted by length, at most one batch straddles the short/long boundary
        assertTrue(mixedBatches <= 1, "mixed batches: " + mixedBatches);
        List<String> draws = mixture.stream(0).next(32).stream().map(TaskMixture.Draw::example).toList();
        assertEquals(draws.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void resumingMidWindowContinuesExactly() {
        BatchStream<String> unbroken = stream(3, new BatchStream.Position(0, 0));
        List<List<TaskMixture.Draw<String>>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) all.add(unbroken.next());

        BatchStream<String> first = stream(3, new BatchStream.Position(0, 0));
        for (int i = 0; i < 4; i++) first.next();
        BatchStream.Position saved = first.position();
        assertEquals(new BatchStream.Position(1, 1), saved);
        BatchStream<String> resumed = stream(3, saved);
        for (int i = 4; i < 10; i++) assertEquals(all.get(i), resumed.next(), "batch " + i);
    }

    @Test
    void withoutBucketingBatchesAreTheDrawsInOrder() {
        BatchStream<String> plain = stream(1, new BatchStream.Position(0, 0));
        List<TaskMixture.Draw<String>> draws = mixture.stream(0).next(8);
        assertEquals(draws.subList(0, 4), plain.next());
        assertEquals(draws.subList(4, 8), plain.next());
    }

    private static TaskMixture<String> pool(Map<String, Integer> sizes, MixtureSettings settings) {
        Map<String, List<String>> byTask = new java.util.LinkedHashMap<>();
        // lengths repeat within a task, so sorting by length puts different examples side by side
        sizes.forEach((task, k) -> byTask.put(task, IntStream.range(0, k).mapToObj(i -> task + i + "-".repeat(i % 7)).toList()));
        return new TaskMixture<>(byTask, settings, 17);
    }

    private static long distinct(List<TaskMixture.Draw<String>> batch) {
        return batch.stream().map(TaskMixture.Draw::example).distinct().count();
    }

    @Test
    void fewShotBatchesHoldDistinctExamples() {
        for (int k : new int[] {8, 10, 50, 100}) {
            TaskMixture<String> m = pool(Map.of("t", k), MixtureSettings.PROPORTIONAL);
            BatchStream<String> s = BatchStream.at(m, 8, 16, String::length, 3, new BatchStream.Position(0, 0));
            Map<String, Integer> uses = new java.util.HashMap<>();
            for (int i = 0; i < 300; i++) {
                List<TaskMixture.Draw<String>> b = s.next();
                assertEquals(8, b.size(), "k=" + k + " batch " + i);
                assertEquals(8, distinct(b), "k=" + k + " batch " + i + ": " + b);
                b.forEach(d -> uses.merge(d.example(), 1, Integer::sum));
            }
            // every example trains about equally often: epochs per task, at most one epoch late
            assertEquals(k, uses.size());
            int min = java.util.Collections.min(uses.values());
            int max = java.util.Collections.max(uses.values());
            assertTrue(max - min <= 2, "k=" + k + ": uses between " + min + " and " + max);
        }
    }

    @Test
    void aPoolSmallerThanTheBatchMakesShortBatchesOfTheWholePool() {
        TaskMixture<String> m = pool(Map.of("t", 5), MixtureSettings.PROPORTIONAL);
        BatchStream<String> s = BatchStream.at(m, 8, 16, String::length, 3, new BatchStream.Position(0, 0));
        for (int i = 0; i < 20; i++) {
            List<TaskMixture.Draw<String>> b = s.next();
            assertEquals(5, b.size());
            assertEquals(5, distinct(b));
        }
    }

    @Test
    void aTaskWithFewerExamplesThanItsShareOfABatchShortensThatBatchButKeepsTheMix() {
        TaskMixture<String> m = pool(Map.of("few", 3, "many", 500), new MixtureSettings(MixtureSettings.Mode.UNIFORM, 0, 1));
        BatchStream<String> s = BatchStream.at(m, 8, 16, String::length, 3, new BatchStream.Position(0, 0));
        long few = 0;
        long all = 0;
        int shortBatches = 0;
        for (int i = 0; i < 2000; i++) {
            List<TaskMixture.Draw<String>> b = s.next();
            assertEquals(b.size(), distinct(b), "batch " + i + ": " + b);
            if (b.size() < 8) shortBatches++;
            few += b.stream().filter(d -> d.task().equals("few")).count();
            all += b.size();
        }
        assertTrue(shortBatches > 0);
        assertEquals(0.5, few / (double) all, 0.02);
    }

    @Test
    void resumingReplaysWindowsThatClosedEarly() {
        TaskMixture<String> m = pool(Map.of("t", 10), MixtureSettings.PROPORTIONAL);
        BatchStream<String> unbroken = BatchStream.at(m, 4, 16, String::length, 3, new BatchStream.Position(0, 0));
        List<List<TaskMixture.Draw<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) all.add(unbroken.next());
        BatchStream<String> first = BatchStream.at(m, 4, 16, String::length, 3, new BatchStream.Position(0, 0));
        for (int i = 0; i < 23; i++) first.next();
        BatchStream<String> resumed = BatchStream.at(m, 4, 16, String::length, 3, first.position());
        for (int i = 23; i < 40; i++) assertEquals(all.get(i), resumed.next(), "batch " + i);
    }
}
