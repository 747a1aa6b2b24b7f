package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max_examples}: deterministic, counted, and never shrinks a label set taken from the data. */
class SplitCapTest {
    @TempDir Path dir;

    @Test
    void labelsFromDataComeFromTheWholeSplitNotTheCappedOne() {
        Fixtures fx = new Fixtures(dir);
        fx.data("toy/train.csv", "text,intent\nhi,greet\nyo,greet\nhey,greet\nbye,leave\n");
        fx.data("toy/test.csv", "text,intent\nciao,leave\n");
        Task t = Fixtures.parser().parse(fx.task("toy", Fixtures.csvTask("toy", "")
                .replace("'train': 'toy/train.csv'", "'train': {'files': 'toy/train.csv', 'max_examples': 1}")));
        TaskData d = TaskData.load(t, fx.data(), List.of());
        assertEquals(List.of("greet", "leave"), d.labels().raw());
        SplitCounts c = d.splits().get("train").counts();
        assertEquals(1, c.kept());
        assertEquals(3, c.capped());
        assertEquals(1, d.splits().get("test").counts().kept());
        // The same seed always keeps the same example, whichever order the splits are loaded in.
        TaskData again = TaskData.load(t, fx.data(), List.of("train"));
        assertEquals(d.splits().get("train").examples(), again.splits().get("train").examples());
    }
}
