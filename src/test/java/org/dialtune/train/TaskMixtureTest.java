package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

class TaskMixtureTest {
    private static Map<String, List<String>> tasks(int a, int b) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("b", IntStream.range(0, b).mapToObj(i -> "b" + i).toList());
        m.put("a", IntStream.range(0, a).mapToObj(i -> "a" + i).toList());
        return m;
    }

    @Test
    void ratesFollowTheMode() {
        assertEquals(Map.of("a", 0.9, "b", 0.1),
                round(new TaskMixture<>(tasks(900, 100), MixtureSettings.PROPORTIONAL, 1).rates()));
        assertEquals(Map.of("a", 0.5, "b", 0.5), round(new TaskMixture<>(tasks(900, 100),
                new MixtureSettings(MixtureSettings.Mode.UNIFORM, 0, 1), 1).rates()));
        // cap 100: both count as 100
        assertEquals(Map.of("a", 0.5, "b", 0.5), round(new TaskMixture<>(tasks(900, 100),
                new MixtureSettings(MixtureSettings.Mode.PROPORTIONAL, 100, 1), 1).rates()));
        // temperature 2: sqrt(900)=30, sqrt(100)=10
        assertEquals(Map.of("a", 0.75, "b", 0.25), round(new TaskMixture<>(tasks(900, 100),
                new MixtureSettings(MixtureSettings.Mode.TEMPERATURE, 0, 2), 1).rates()));
    }

    private static Map<String, Double> round(Map<String, Double> r) {
        Map<String, Double> out = new HashMap<>();
        r.forEach((k, v) -> out.put(k, Math.round(v * 1000) / 1000.0));
        return out;
    }

    @Test
    void drawFrequenciesMatchRates() {
        TaskMixture<String> m = new TaskMixture<>(tasks(300, 100), MixtureSettings.PROPORTIONAL, 7);
        long a = m.stream(0).next(20000).stream().filter(d -> d.task().equals("a")).count();
        assertEquals(0.75, a / 20000.0, 0.02);
    }

    @Test
    void everyExampleOnceBeforeAnyRepeats() {
        TaskMixture<String> m = new TaskMixture<>(Map.of("t", IntStream.range(0, 10).mapToObj(i -> "x" + i).toList()),
                MixtureSettings.PROPORTIONAL, 3);
        TaskMixture<String>.Stream s = m.stream(0);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 10; i++) first.add(s.next().example());
        for (int i = 0; i < 10; i++) second.add(s.next().example());
        assertEquals(10, new HashSet<>(first).size());
        assertEquals(new HashSet<>(first), new HashSet<>(second));
        assertNotEquals(first, second, "each epoch is reshuffled");
    }

    @Test
    void resumedStreamContinuesExactly() {
        TaskMixture<String> m = new TaskMixture<>(tasks(37, 11), MixtureSettings.PROPORTIONAL, 42);
        List<TaskMixture.Draw<String>> unbroken = m.stream(0).next(200);
        TaskMixture<String>.Stream first = m.stream(0);
        first.next(123);
        TaskMixture<String>.Stream resumed = m.stream(first.position());
        List<TaskMixture.Draw<String>> tail = resumed.next(77);
        assertEquals(unbroken.subList(123, 200), tail);
    }

    @Test
    void sameSeedSameStreamAndMapOrderDoesNotMatter() {
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        tasks(5, 6).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> reversed.put(e.getKey(), e.getValue()));
        assertEquals(new TaskMixture<>(tasks(5, 6), MixtureSettings.PROPORTIONAL, 9).stream(0).next(50),
                new TaskMixture<>(reversed, MixtureSettings.PROPORTIONAL, 9).stream(0).next(50));
        assertNotEquals(new TaskMixture<>(tasks(5, 6), MixtureSettings.PROPORTIONAL, 9).stream(0).next(50),
                new TaskMixture<>(tasks(5, 6), MixtureSettings.PROPORTIONAL, 10).stream(0).next(50));
    }

    @Test
    void emptyTaskIsAUserError() {
        assertEquals("task \"a\" has no training examples", assertThrows(UserError.class,
                () -> new TaskMixture<>(tasks(0, 3), MixtureSettings.PROPORTIONAL, 1)).getMessage());
    }
}
