package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dialtune.common.Json;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every wording of three tasks scored separately, then ranked; a rerun adds nothing. */
class InstructionsCompareCommandTest {
    @TempDir Path dir;

    private static int wordings(String task) {
        return Json.parseFile(Path.of("instructions", task + ".json")).getAsJsonObject().getAsJsonArray("instructions").size();
    }

    @Test
    void comparesEveryWordingOfThreeTasks() throws IOException {
        Path data = SharedData.require("datasets");
        Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
        List<String> tasks = List.of("meld-emotion", "begin-groundedness", "dialfact-verification");
        String[] args = {"instructions", "compare", "--model", model.toString(), "--tasks", String.join(",", tasks),
                "--max-examples", "3", "--seeds", "1,2", "--scoring", "rank", "--resamples", "200",
                "--out", dir.resolve("cmp").toString(), "--data", data.toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString()};
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err() + r.out());
        List<ResultRow> rows = new ResultStore(dir.resolve("cmp/results.csv")).read();
        int expected = tasks.stream().mapToInt(t -> wordings(t) * 2).sum();
        assertEquals(expected, rows.size());
        assertEquals(Set.copyOf(tasks), rows.stream().map(ResultRow::task).collect(Collectors.toSet()));
        for (ResultRow row : rows) {
            assertEquals("rank_accuracy", row.metric());
            assertEquals(3, row.examples());
            assertTrue(!row.instructionId().equals("none") && !row.instructionId().equals("sampled"));
        }
        for (String t : tasks) assertTrue(r.out().contains(t + ": best "), r.out());
        String html = Files.readString(dir.resolve("cmp/instructions.html"));
        assertTrue(html.contains("<svg") && !html.contains("http://") && !html.contains("src="), "self-contained page with charts");

        CliRunner.Result again = CliRunner.run(args);
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(expected, new ResultStore(dir.resolve("cmp/results.csv")).read().size());
        assertTrue(again.out().lines().noneMatch(l -> l.contains(" / seed ")), "nothing re-evaluated");
    }
}
