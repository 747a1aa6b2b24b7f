package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dialtune.format.InstructionLibrary;
import org.dialtune.task.CsvDatasetReader;
import org.dialtune.task.DealOrNoDealReader;
import org.dialtune.task.JsonDatasetReader;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import org.dialtune.task.TaskType;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The committed tasks/ and instructions/ against the real datasets in ../shared. */
class RealTasksTest {
    private static final Path TASKS = Path.of("tasks");
    private static final Path INSTRUCTIONS = Path.of("instructions");

    @Test
    void committedTasksCoverTheRequiredSpread() {
        TaskRegistry reg = TaskRegistry.load(List.of(TASKS), new TaskFileParser(Map.of("csv", new CsvDatasetReader(),
                "json", new JsonDatasetReader(false), "jsonl", new JsonDatasetReader(true),
                "dealornodeal", new DealOrNoDealReader()))).requireValid();
        List<Task> tasks = reg.tasks();
        InstructionLibrary ins = InstructionLibrary.load(List.of(INSTRUCTIONS), tasks.stream().map(Task::name).toList())
                .requireValid();
        assertTrue(tasks.size() >= 8, "tasks: " + tasks.size());
        assertTrue(tasks.stream().map(Task::dataset).distinct().count() >= 5);
        assertEquals(Set.of(TaskType.values()), tasks.stream().map(Task::type).collect(Collectors.toSet()));
        assertEquals(Set.of("csv", "json", "jsonl", "dealornodeal"), tasks.stream().map(Task::readerName).collect(Collectors.toSet()));
        for (Task t : tasks) {
            int n = ins.forTask(t.name()).instructions().size();
            assertTrue(n >= 3 && n <= 10, t.name() + " has " + n + " instructions");
        }
    }

    /** ToxiChat's Reddit text is HTML-escaped, twice in places ({@code &amp;#x200B;}): the task files decode it. */
    @Test
    void toxiChatTextHasItsHtmlEntitiesDecoded() {
        Path data = SharedData.require("datasets");
        TaskRegistry reg = TaskRegistry.load(List.of(TASKS), new TaskFileParser(Map.of("csv", new CsvDatasetReader(),
                "json", new JsonDatasetReader(false), "jsonl", new JsonDatasetReader(true),
                "dealornodeal", new DealOrNoDealReader()))).requireValid();
        for (String name : List.of("toxichat-offensive", "toxichat-stance", "toxichat-offense-target", "toxichat-coherence")) {
            org.dialtune.task.TaskData d = org.dialtune.task.TaskData.load(reg.get(name), data, List.of("train", "test"));
            int texts = 0;
            for (var split : d.splits().values()) {
                for (org.dialtune.task.DialogueExample e : split.examples()) {
                    String all = e.context().stream().map(t -> t.text()).collect(Collectors.joining("\n"))
                            + "\n" + (e.utterance() == null ? "" : e.utterance().text()) + "\n" + e.response() + "\n" + e.target();
                    for (String raw : List.of("&amp;", "&gt;", "&lt;", "&#x200B;", "&nbsp;", "\u200b")) {
                        assertTrue(!all.contains(raw), name + " " + e.location() + " still has " + raw + ": " + all);
                    }
                    texts++;
                }
            }
            assertTrue(texts > 100, name + ": " + texts);
        }
        // test.jsonl:38 starts " Title: Google &amp; Plath: Is Google Worth a Giggle?"
        org.dialtune.task.TaskData d = org.dialtune.task.TaskData.load(reg.get("toxichat-offensive"), data, List.of("test"));
        String title = d.splits().get("test").examples().stream()
                .filter(e -> e.location().endsWith("test.jsonl:38 turn 0"))
                .findFirst().orElseThrow().utterance().text();
        assertTrue(title.startsWith("Title: Google & Plath: Is Google Worth a Giggle?"), title);
    }

    @Test
    void validatePassesOnTheSharedDatasets() {
        Path data = SharedData.require("datasets");
        long start = System.nanoTime();
        CliRunner.Result r = CliRunner.run("tasks", "validate", "--tasks-dir", TASKS.toString(), "--instructions-dir",
                INSTRUCTIONS.toString(), "--data", data.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().lines().filter(l -> l.startsWith("ok ")).count() >= 8, r.out());
        assertTrue(r.out().contains("ok      meld-emotion: train=5000 (capped 4989"), r.out());
        assertTrue(r.out().contains("ok      hwu64-intent: train=5000 (capped 4960) test=1076 labels=64"), r.out());
        assertTrue(r.out().contains("ok      banking77-intent: train=5000 (capped 5003) test=2000 (capped 1080) labels=77"), r.out());
        System.out.println("validate over shared datasets: " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
