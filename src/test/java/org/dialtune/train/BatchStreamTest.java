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
}
