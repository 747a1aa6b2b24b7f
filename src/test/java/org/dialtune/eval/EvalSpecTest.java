package org.dialtune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.dialtune.common.SpecObject;
import org.junit.jupiter.api.Test;

class EvalSpecTest {
    private static EvalSpec spec(int max) {
        return EvalSpec.parse(new SpecObject(Path.of("x.json"), "evaluate",
                JsonParser.parseString("{\"max_examples\": " + max + "}").getAsJsonObject()), List.of("t"));
    }

    @Test
    void aSubsetIsASeededSampleOfTheWholeSplitNotItsFirstRows() {
        // a test split stored class by class, as clinc150's is: 150 intents × 30 utterances
        List<String> split = new ArrayList<>();
        for (int c = 0; c < 150; c++) for (int i = 0; i < 30; i++) split.add(c + "/" + i);
        List<String> sample = spec(30).subset(split);
        assertEquals(30, sample.size());
        assertNotEquals(split.subList(0, 30), sample);
        long classes = sample.stream().map(s -> s.split("/")[0]).distinct().count();
        assertTrue(classes >= 20, "30 examples cover " + classes + " classes: " + sample);
        assertEquals(sample, spec(30).subset(new ArrayList<>(split)), "the same examples for every model and run");
        assertTrue(new HashSet<>(split).containsAll(sample));
        assertEquals(split, spec(0).subset(split), "0 keeps the whole split");
        assertEquals(split.subList(0, 20), spec(30).subset(split.subList(0, 20)), "a split smaller than the cap is kept whole");
    }
}
