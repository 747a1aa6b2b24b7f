package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.task.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task commands end to end on a small fixture: two tasks, their instructions and data. */
class TasksCommandTest {
    @TempDir Path dir;
    Fixtures fx;

    @BeforeEach
    void fixture() {
        fx = new Fixtures(dir);
        fx.task("toy", Fixtures.csvTask("toy", ", 'answer_template': 'Intent: {answer}'"));
        fx.data("toy/train.csv", "text,intent\nhi,greet_user\nbye,say_bye\n");
        fx.data("toy/test.csv", "text,intent\nhello,greet_user\nsee you,say_bye\nyo,greet_user\n");
        fx.instructions("toy", 3);
        fx.task("sum", "{'name': 'sum', 'family': 'summarization', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': 'sumdata', 'license': 'x', 'reader': 'jsonl', 'splits': {'test': 'sum/test.jsonl'},"
                + " 'fields': {'id': 'fname', 'context': {'path': 'dialogue', 'split': '\\n', 'speaker_prefix': true},"
                + " 'target': ['summary', 'summary1']}}");
        fx.data("sum/test.jsonl", "{\"fname\": \"t0\", \"dialogue\": \"#P1#: Hi.\\n#P2#: Bye.\", \"summary1\": \"They part.\"}\n");
        fx.instructions("sum", 5);
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--tasks-dir", fx.tasks().toString(), "--instructions-dir",
                fx.instructions().toString(), "--data", fx.data().toString()}, 0, all, args.length, 6);
        return CliRunner.run(all);
    }

    @Test
    void listShowsOneLinePerTaskWithCounts() {
        CliRunner.Result r = run("tasks", "list");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("TASK  FAMILY                 TYPE            METRIC    INSTR  DATASET  EXAMPLES", lines.get(0));
        assertEquals("sum   summarization          generation      rouge_l   5      sumdata  test=1", lines.get(1));
        assertEquals("toy   intent_classification  classification  accuracy  3      toy      train=2 test=3", lines.get(2));
        assertEquals("2 tasks, data from " + fx.data().toAbsolutePath().normalize(), lines.get(3));
    }

    @Test
    void validatePassesOnGoodFiles() {
        CliRunner.Result r = run("tasks", "validate");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ok      sum: test=1\n"), r.out());
        assertTrue(r.out().contains("ok      toy: train=2 test=3 labels=2\n"), r.out());
        assertTrue(r.out().endsWith("2 of 2 tasks OK\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void validateReportsEveryProblemAndFails() throws IOException {
        Path bad = fx.task("broken", Fixtures.csvTask("broken", ", 'lables': []"));
        fx.instructions("broken", 3);
        fx.data("toy/test.csv", "text,intent\nhello,greet_user\n,say_bye\n");
        Path second = dir.resolve("more");
        Files.createDirectories(second);
        Files.copy(fx.tasks().resolve("sum.json"), second.resolve("sum.json"));
        CliRunner.Result r = CliRunner.run("tasks", "validate", "--tasks-dir", fx.tasks() + "," + second,
                "--instructions-dir", fx.instructions().toString(), "--data", fx.data().toString());
        assertEquals(2, r.exitCode());
        List<String> err = r.err().lines().toList();
        assertEquals(List.of(
                "problem: " + bad + ": field \"lables\": unknown field (allowed here: name, family, tag, type, metric, dataset, "
                        + "license, description, reader, format, splits, records, group_by, order_by, where, where_not, "
                        + "for_each, each_turn, fields, answer_template, labels, label_names, verbalize, labels_from_split, "
                        + "sample_seed)",
                "problem: " + second.resolve("sum.json") + ": field \"name\": task \"sum\" is already defined in "
                        + fx.tasks().resolve("sum.json") + " (rename one of them)",
                "problem: " + fx.instructions().resolve("broken.json") + ": field \"task\": no task named \"broken\" "
                        + "(add tasks/broken.json or delete this file)",
                "problem: " + fx.tasks().resolve("toy.json") + ": split \"test\": skipped row toy/test.csv:3: "
                        + "field \"fields.utterance\" (text) is empty",
                "dialtune: error: tasks validate: 4 problems (listed above)"), err);
        assertTrue(r.out().contains("FAILED  toy: train=2 test=1 (SKIPPED 1) labels=2"), r.out());
        assertFalse(r.err().contains("\tat "));
    }

    @Test
    void showRendersExamplesWithTheChosenInstruction() {
        CliRunner.Result r = run("tasks", "show", "toy", "--split", "test", "-n", "1", "--instruction", "w1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(String.join("\n",
                "toy (intent_classification, classification, metric accuracy, dataset toy, license CC0)",
                "split test: 3 examples; showing 1",
                "",
                "--- test-0 (instruction: w1)",
                "Instruction: Do task toy way 1.",
                "Input: [UTTERANCE] hello [OPTIONS] greet user || say bye",
                "TARGET: Intent: greet user",
                "OPTIONS (2): Intent: greet user || Intent: say bye", ""), r.out());
        CliRunner.Result none = run("tasks", "show", "toy", "--instruction", "none", "-n", "1");
        assertTrue(none.out().contains("--- train-0 (instruction: none)\nTask: intent classification\nInput: [UTTERANCE] hi"),
                none.out());
    }

    @Test
    void showWithUnknownTaskOrInstructionIsOneLine() {
        CliRunner.Result r = run("tasks", "show", "nope");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: unknown task \"nope\" (known: sum, toy; see 'dialtune tasks list')\n", r.err());
        CliRunner.Result i = run("tasks", "show", "toy", "--instruction", "w9");
        assertEquals(2, i.exitCode());
        assertEquals("dialtune: error: " + fx.instructions().resolve("toy.json")
                + ": task \"toy\" has no instruction \"w9\" (ids: w0, w1, w2)\n", i.err());
    }

    @Test
    void convertWritesTheJsonlContract() throws IOException {
        Path out = dir.resolve("out/test.jsonl");
        CliRunner.Result r = run("convert", "--tasks", "all", "--split", "test", "--out", out.toString(), "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote 4 examples from 2 tasks to " + out), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        JsonObject sum = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(List.of("task", "split", "id", "instruction_id", "source", "target", "options"),
                List.copyOf(sum.keySet()));
        assertEquals("sum", sum.get("task").getAsString());
        assertEquals("t0", sum.get("id").getAsString());
        assertTrue(sum.get("source").getAsString().endsWith("\nInput: [CONTEXT] #P1#: Hi. [EOT] #P2#: Bye."));
        assertEquals("They part.", sum.get("target").getAsString());
        assertEquals(0, sum.getAsJsonArray("options").size());
        JsonObject toy = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("Intent: greet user", toy.get("target").getAsString());
        assertEquals("[\"Intent: greet user\",\"Intent: say bye\"]", toy.getAsJsonArray("options").toString());
        assertTrue(toy.get("instruction_id").getAsString().matches("w[012]"));
        // Same seed, same bytes.
        Path again = dir.resolve("again.jsonl");
        run("convert", "--tasks", "all", "--split", "test", "--out", again.toString(), "--seed", "3");
        assertEquals(Files.readString(out), Files.readString(again));
    }

    @Test
    void convertWithoutInstructionsWritesNullIds() throws IOException {
        Path out = dir.resolve("plain.jsonl");
        CliRunner.Result r = run("convert", "--tasks", "toy", "--split", "train", "--instructions", "off", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String first = Files.readAllLines(out).get(0);
        assertEquals("{\"task\":\"toy\",\"split\":\"train\",\"id\":\"train-0\",\"instruction_id\":null,"
                + "\"source\":\"Task: intent classification\\nInput: [UTTERANCE] hi [OPTIONS] greet user || say bye\",\"target\":\"Intent: greet user\","
                + "\"options\":[\"Intent: greet user\",\"Intent: say bye\"]}", first);
    }

    @Test
    void convertFitsSourcesToATokenBudgetAndSaysWhatItTookOut() throws IOException {
        Path out = dir.resolve("fitted.jsonl");
        // sum's source is 36 BART tokens: its first turn goes, the turn to answer stays
        CliRunner.Result r = run("convert", "--tasks", "sum", "--split", "test", "--max-source-tokens", "30", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("sum: test=1; fitted to 30 tokens: 1 of 1 sources shortened (1 turns dropped, 0 grounding"
                + " texts shortened, 0 last turns cut from the start), 0 over budget"), r.out());
        String source = JsonParser.parseString(Files.readAllLines(out).get(0)).getAsJsonObject().get("source").getAsString();
        assertTrue(source.matches("Instruction: Do task sum way \\d\\.\nInput: \\[CONTEXT\\] #P2#: Bye\\."), source);
        // without a budget nothing is fitted, as before
        CliRunner.Result plain = run("convert", "--tasks", "sum", "--split", "test", "--out", out.toString());
        assertTrue(plain.out().contains("sum: test=1\n"), plain.out());
        assertTrue(Files.readAllLines(out).get(0).contains("#P1#: Hi. [EOT] #P2#: Bye."));

        CliRunner.Result lonely = run("convert", "--tasks", "sum", "--split", "test", "--tokenizer", "eval/demo/bart-tokenizer",
                "--out", out.toString());
        assertEquals(2, lonely.exitCode());
        assertEquals("dialtune: error: --tokenizer: only counts --max-source-tokens; give --max-source-tokens N too",
                lonely.err().strip());
    }

    @Test
    void twoTasksOnOneDatasetNeedDifferentTags() {
        fx.task("sum2", "{'name': 'sum2', 'family': 'summarization', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': 'sumdata', 'license': 'x', 'reader': 'jsonl', 'splits': {'test': 'sum/test.jsonl'},"
                + " 'fields': {'id': 'fname', 'context': {'path': 'dialogue', 'split': '\\n', 'speaker_prefix': true},"
                + " 'target': ['summary', 'summary1']}}");
        fx.instructions("sum2", 3);
        CliRunner.Result r = run("tasks", "validate");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("problem: " + fx.tasks().resolve("sum2.json") + ": field \"tag\": \"summarization\" is also"
                + " the tag of task sum on the same dataset, so without instructions their sources would be identical"
                + " (give one a distinct \"tag\")"), r.err());
        fx.task("sum2", "{'name': 'sum2', 'family': 'summarization', 'tag': 'one-line summary', 'type': 'generation',"
                + " 'metric': 'rouge_l', 'dataset': 'sumdata', 'license': 'x', 'reader': 'jsonl', 'splits': {'test': 'sum/test.jsonl'},"
                + " 'fields': {'id': 'fname', 'context': {'path': 'dialogue', 'split': '\\n', 'speaker_prefix': true},"
                + " 'target': ['summary', 'summary1']}}");
        assertEquals(0, run("tasks", "validate").exitCode());
        CliRunner.Result shown = run("tasks", "show", "sum2", "--instruction", "none", "-n", "1");
        assertTrue(shown.out().contains("Task: one-line summary\nInput: [CONTEXT] #P1#: Hi."), shown.out());
    }

    @Test
    void convertOfAMissingSplitFailsAndWritesNothing() {
        Path out = dir.resolve("none.jsonl");
        CliRunner.Result r = run("convert", "--tasks", "sum", "--split", "train", "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + fx.tasks().resolve("sum.json") + ": task \"sum\" has no split \"train\" "
                + "(splits: test)\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aBrokenTaskFileStopsConvertWithOneLine() {
        Path bad = fx.task("toy", "{'name': 'toy', 'family': 'intent_classification'");
        CliRunner.Result r = run("convert", "--tasks", "toy", "--split", "test", "--out", dir.resolve("x.jsonl").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("dialtune: error: " + bad + ": not valid JSON: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void listShowsTheOtherTasksWhenOneDatasetIsMissing() throws IOException {
        Files.delete(fx.data().resolve("sum/test.jsonl"));
        CliRunner.Result r = run("tasks", "list");
        assertEquals(2, r.exitCode());
        assertTrue(r.out().contains("sum   summarization          generation      rouge_l   5      sumdata  ERROR (see below)"),
                r.out());
        assertTrue(r.out().contains("train=2 test=3"), r.out());
        assertEquals(List.of("problem: " + fx.tasks().resolve("sum.json") + ": split \"test\": data file not found: "
                        + fx.data().resolve("sum/test.jsonl") + " (is --data / DIALTUNE_DATA the right data directory?)",
                "dialtune: error: tasks list: the data of 1 task could not be read (listed above)"), r.err().lines().toList());
    }

    @Test
    void convertWithAFixedWording() throws IOException {
        Path out = dir.resolve("fixed.jsonl");
        CliRunner.Result r = run("convert", "--tasks", "all", "--split", "test", "--instruction-id", "w2", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String line : Files.readAllLines(out)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("w2", o.get("instruction_id").getAsString());
            assertTrue(o.get("source").getAsString().startsWith("Instruction: Do task " + o.get("task").getAsString()
                    + " way 2.\n"), line);
        }
        CliRunner.Result bad = run("convert", "--tasks", "all", "--split", "test", "--instruction-id", "w4", "--out",
                dir.resolve("bad.jsonl").toString());
        assertEquals(2, bad.exitCode());
        assertEquals("dialtune: error: " + fx.instructions().resolve("toy.json") + ": task \"toy\" has no instruction "
                + "\"w4\" (ids: w0, w1, w2)\n", bad.err());
    }

    @Test
    void convertRefusesToWriteOverWhatItReads() throws IOException {
        Path data = fx.data().resolve("toy/test.csv");
        String before = Files.readString(data);
        CliRunner.Result r = run("convert", "--tasks", "toy", "--split", "test", "--out", data.toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --out " + data + ": is the same file as the data file " + data
                + " of task toy (writing it would replace the input): choose another output file\n", r.err());
        Path link = Files.createSymbolicLink(dir.resolve("task-link.json"), fx.tasks().resolve("toy.json"));
        CliRunner.Result viaLink = run("convert", "--tasks", "toy", "--split", "test", "--out", link.toString());
        assertEquals(2, viaLink.exitCode());
        assertTrue(viaLink.err().contains("is the same file as the task file " + fx.tasks().resolve("toy.json")),
                viaLink.err());
        assertEquals(before, Files.readString(data));
        assertTrue(Files.readString(fx.tasks().resolve("toy.json")).startsWith("{\"name\": \"toy\""));
    }

    @Test
    void convertDoesNotReadOutsideTheDataDirectory() {
        for (String path : List.of("/etc/passwd", "../../../../etc/passwd")) {
            Path task = fx.task("toy", Fixtures.csvTask("toy", "").replace("'toy/test.csv'", "'" + path + "'"));
            Path out = dir.resolve("leak.jsonl");
            CliRunner.Result r = run("convert", "--tasks", "toy", "--split", "test", "--instructions", "off",
                    "--out", out.toString());
            assertEquals(2, r.exitCode(), r.out());
            assertEquals("dialtune: error: " + task + ": field \"splits.test\": \"" + path + "\" is not a path inside"
                    + " the data directory (give it relative to the data directory, without \"..\", e.g."
                    + " \"mydata/train.csv\")\n", r.err());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void aFullDiskDuringConvertIsOneLineNamingTheOutput() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
        StringBuilder rows = new StringBuilder("text,intent\n");
        for (int i = 0; i < 3000; i++) rows.append("hello number ").append(i).append(i % 2 == 0 ? ",greet_user\n" : ",say_bye\n");
        fx.data("toy/test.csv", rows.toString()); // > 64 KB of output: the disk fills while examples are written
        // through a link, so that a regression (renaming over the target) could only replace the link
        Path out = Files.createSymbolicLink(dir.resolve("full.jsonl"), Path.of("/dev/full"));
        CliRunner.Result r = run("convert", "--tasks", "toy", "--split", "test", "--out", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("dialtune: error: " + out + ": cannot write: No space left on device\n", r.err());
        assertTrue(Files.isSymbolicLink(out));
    }
}
