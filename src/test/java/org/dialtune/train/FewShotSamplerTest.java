package org.dialtune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

class FewShotSamplerTest {
    /** 200 examples "label:i" with a skewed label distribution: label0 has most of them. */
    private static List<String> pool() {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < 200; i++) p.add("l" + (i < 170 ? 0 : i % 6) + ":" + i);
        return p;
    }

    private static String label(String s) {
        return s.substring(0, s.indexOf(':'));
    }

    @Test
    void coversEveryLabelFirstAndKeepsSetsDisjoint() {
        FewShotSampler.Sample<String> s = FewShotSampler.sample(pool(), 10, 1, FewShotSamplerTest::label, "t/train");
        assertEquals(10, s.train().size());
        assertEquals(10, s.validation().size());
        Set<String> labels = pool().stream().map(FewShotSamplerTest::label).collect(Collectors.toSet());
        assertEquals(labels, s.train().stream().map(FewShotSamplerTest::label).collect(Collectors.toSet()));
        assertEquals(labels, s.validation().stream().map(FewShotSamplerTest::label).collect(Collectors.toSet()));
        Set<String> both = new HashSet<>(s.train());
        both.retainAll(s.validation());
        assertTrue(both.isEmpty());
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        assertEquals(FewShotSampler.sample(pool(), 50, 2, null, "t"), FewShotSampler.sample(pool(), 50, 2, null, "t"));
        assertNotEquals(FewShotSampler.sample(pool(), 50, 2, null, "t").train(),
                FewShotSampler.sample(pool(), 50, 3, null, "t").train());
    }

    @Test
    void largerKExtendsNothingSilently() {
        FewShotSampler.Sample<String> s = FewShotSampler.sample(pool(), 100, 1, FewShotSamplerTest::label, "t");
        assertEquals(200, new HashSet<>(IntStream.range(0, 1).boxed().flatMap(i ->
                java.util.stream.Stream.concat(s.train().stream(), s.validation().stream())).toList()).size());
    }

    @Test
    void tooSmallSplitSaysWhatToDo() {
        UserError e = assertThrows(UserError.class,
                () -> FewShotSampler.sample(pool().subList(0, 15), 10, 1, null, "dream-answer/train"));
        assertEquals("dream-answer/train: 10-shot needs 20 examples (k train + k validation) but the split has 15;"
                + " use fewer shots or a larger split", e.getMessage());
    }
}
