package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dialtune.cli.DialtuneModules;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each split rule gives its one-line error; the committed splits are valid against the committed tasks. */
class ZeroShotSplitTest {
    @TempDir Path dir;

    /** intent-a/intent-b: same family, other datasets (intent-a2 on intent-a's, with its own tag); gen-a: generation; only-test: no train split. */
    private TaskRegistry registry() {
        Fixtures fx = new Fixtures(dir);
        fx.task("intent-a", Fixtures.csvTask("intent-a", "").replace("'dataset': 'toy'", "'dataset': 'a'"));
        fx.task("intent-b", Fixtures.csvTask("intent-b", "").replace("'dataset': 'toy'", "'dataset': 'b'"));
        fx.task("intent-a2", Fixtures.csvTask("intent-a2", ", 'tag': 'intent classification again'").replace("'dataset': 'toy'", "'dataset': 'a'"));
        fx.task("gen-a", generation("gen-a", "'train': 'a/train.csv', 'test': 'a/test.csv'"));
        fx.task("gen-b", generation("gen-b", "'train': 'b/train.csv', 'test': 'b/test.csv'"));
        fx.task("only-test", generation("only-test", "'test': 'b/test.csv'"));
        return TaskRegistry.load(List.of(fx.tasks()), Fixtures.parser()).requireValid();
    }

    private static String generation(String name, String splits) {
        return "{'name': '" + name + "', 'family': 'summarization', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': '" + name.substring(name.length() - 1) + "', 'license': 'CC0', 'reader': 'csv',"
                + " 'splits': {" + splits + "}, 'fields': {'context': 'text', 'target': 'summary'}}";
    }

    private Path split(String train, String test) {
        return Fixtures.write(dir.resolve("splits/s.json"),
                ("{'name': 's', 'description': 'd', 'train': [" + train + "], 'test': [" + test + "]}").replace('\'', '"'));
    }

    private String error(String train, String test) {
        TaskRegistry reg = registry();
        Path f = split(train, test);
        UserError e = assertThrows(UserError.class, () -> ZeroShotSplit.load(f, reg));
        assertTrue(!e.getMessage().contains("\n"));
        return e.getMessage().replace(f.toString(), "FILE");
    }

    @Test
    void aValidSplitResolvesItsTasksInOrder() {
        TaskRegistry reg = registry();
        ZeroShotSplit s = ZeroShotSplit.load(split("'intent-a', 'gen-a'", "'intent-b', 'gen-b'"), reg);
        assertEquals("s", s.name());
        assertEquals(List.of("intent-a", "gen-a"), s.train().stream().map(Task::name).toList());
        assertEquals(List.of("intent-b", "gen-b"), s.test().stream().map(Task::name).toList());
    }

    @Test
    void unknownTask() {
        assertEquals("FILE: field \"train\": unknown task \"intent-z\" (see 'dialtune tasks list')",
                error("'intent-a', 'intent-z'", "'intent-b', 'gen-b'"));
    }

    @Test
    void duplicateTask() {
        assertEquals("FILE: field \"test\": task \"gen-b\" is listed twice",
                error("'intent-a'", "'intent-b', 'gen-b', 'gen-b'"));
    }

    @Test
    void taskInTrainAndTest() {
        assertEquals("FILE: field \"test\": task \"gen-a\" is also in \"train\" (a test task must be held out)",
                error("'intent-a', 'gen-a'", "'intent-b', 'gen-a'"));
    }

    @Test
    void testWithoutBothTypes() {
        assertEquals("FILE: field \"test\": no generation task (test tasks must include both classification and generation)",
                error("'gen-a'", "'intent-b'"));
        assertEquals("FILE: field \"test\": no classification task (test tasks must include both classification and "
                + "generation)", error("'intent-a'", "'gen-b'"));
    }

    @Test
    void testTaskSharingDatasetAndFamilyWithATrainingTask() {
        assertEquals("FILE: field \"test\": task \"intent-a2\" shares dataset \"a\" and family \"intent_classification\" "
                + "with training task \"intent-a\" (hold out both or neither)",
                error("'intent-a', 'gen-a'", "'intent-a2', 'gen-b'"));
        // The same family on another dataset, or another family on the same dataset, is allowed.
        ZeroShotSplit.load(split("'intent-a', 'gen-b'", "'intent-b', 'gen-a'"), registry());
    }

    @Test
    void tasksNeedTheSplitTheyAreUsedFor() {
        assertEquals("FILE: field \"train\": task \"only-test\" has no \"train\" split (its splits: test)",
                error("'intent-a', 'only-test'", "'intent-b', 'gen-b'"));
    }

    @Test
    void emptyListsAndUnknownFields() {
        assertEquals("FILE: field \"train\": no tasks listed", error("", "'intent-b', 'gen-b'"));
        TaskRegistry reg = registry();
        Path f = Fixtures.write(dir.resolve("splits/t.json"),
                "{\"name\": \"t\", \"train\": [\"intent-a\"], \"test\": [\"intent-b\", \"gen-b\"], \"tset\": []}");
        UserError e = assertThrows(UserError.class, () -> ZeroShotSplit.load(f, reg));
        assertEquals(f + ": field \"tset\": unknown field (allowed here: name, description, train, test)", e.getMessage());
    }

    @Test
    void committedSplitsAreValidAgainstTheCommittedTasks() throws IOException {
        TaskFileParser parser = Guice.createInjector(DialtuneModules.all()).getInstance(TaskFileParser.class);
        TaskRegistry reg = TaskRegistry.load(List.of(Path.of("tasks")), parser).requireValid();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("eval/splits"))) {
            files = s.filter(p -> p.getFileName().toString().matches("split\\d+\\.json")).sorted().toList();
        }
        assertEquals(3, files.size(), files.toString());
        Set<String> tested = new java.util.HashSet<>();
        for (Path f : files) {
            ZeroShotSplit s = ZeroShotSplit.load(f, reg);
            assertEquals(f.getFileName().toString().replace(".json", ""), s.name());
            assertEquals(6, s.test().size(), f.toString());
            assertTrue(s.train().size() >= 36, f + ": " + s.train().size() + " training tasks");
            for (Task t : s.test()) assertTrue(tested.add(t.name()), t.name() + " is a test task of two splits");
        }
        assertEquals(Set.of(TaskType.values()), files.stream().flatMap(f -> ZeroShotSplit.load(f, reg).test().stream())
                .map(Task::type).collect(Collectors.toSet()));
    }
}
