package org.dialtune.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dialtune.cli.DialtuneModules;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

class TaskExamplesTest {
    @Test
    void taskWithoutTrainSplitReservesAFixedFewShotPoolFromItsTest() {
        Path data = SharedData.require("datasets");
        Injector injector = Guice.createInjector(DialtuneModules.all());
        TaskRegistry tasks = TaskRegistry.load(List.of(Path.of("tasks")), injector.getInstance(TaskFileParser.class)).requireValid();
        InstructionLibrary instructions = InstructionLibrary.load(List.of(Path.of("instructions")),
                tasks.tasks().stream().map(org.dialtune.task.Task::name).toList()).requireValid();
        TaskExamples examples = new TaskExamples(tasks, instructions, data, injector.getInstance(FormatterConfig.class));

        Set<String> pool = ids(examples.examples("dialfact-verification", "train", InstructionPolicy.sampled(1)));
        Set<String> test = ids(examples.examples("dialfact-verification", "test", InstructionPolicy.off()));
        assertEquals(200, pool.size());
        assertEquals(100, test.size());
        Set<String> overlap = new HashSet<>(pool);
        overlap.retainAll(test);
        assertTrue(overlap.isEmpty(), "few-shot pool and evaluated examples are disjoint");
        // the same sets whatever the instruction choice, so every condition is scored on the same examples
        assertEquals(pool, ids(examples.examples("dialfact-verification", "train", InstructionPolicy.off())));
        // tasks with a train split are untouched
        assertEquals(ids(examples.examples("meld-emotion", "test", InstructionPolicy.off())).size(),
                examples.examples("meld-emotion", "test", InstructionPolicy.sampled(3)).size());
    }

    private static Set<String> ids(List<Seq2SeqExample> xs) {
        return xs.stream().map(Seq2SeqExample::id).collect(Collectors.toSet());
    }
}
