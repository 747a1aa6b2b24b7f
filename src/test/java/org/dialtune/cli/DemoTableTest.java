package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dialtune.eval.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's closing table: seen tasks marked, an honest chance column, the note on held-out tasks. */
class DemoTableTest {
    @TempDir Path dir;

    private static ResultRow row(String stages, int shots, String task, String metric, double v, String role) {
        return new ResultRow("c", "tiny", stages, "demo", shots, 1, "on", task, "sampled", metric, v, 30, 1.0, "abc", role);
    }

    @Test
    void chanceIsTheMajorityClassRateOfTheScoredExamples() throws IOException {
        // 3 of 4 targets are "neutral": a model that ignores its input can score 0.75, not 1 / 4 options
        Path p = dir.resolve("cells/c/meld-emotion/predictions/meld-emotion.jsonl");
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n",
                "{\"id\":\"1\",\"prediction\":\"joy\",\"target\":\"neutral\",\"value\":0.0}",
                "{\"id\":\"2\",\"prediction\":\"joy\",\"target\":\"neutral\",\"value\":0.0}",
                "{\"id\":\"3\",\"prediction\":\"joy\",\"target\":\"joy\",\"value\":1.0}",
                "{\"id\":\"4\",\"prediction\":\"joy\",\"target\":\"neutral\",\"value\":0.0}", ""));
        Path q = dir.resolve("cells/c/spc-persona-response/predictions/spc-persona-response.jsonl");
        Files.createDirectories(q.getParent());
        Files.writeString(q, "{\"id\":\"1\",\"prediction\":\"hi\",\"target\":\"hello\",\"value\":0.0}\n");
        List<ResultRow> rows = List.of(row("none", 0, "meld-emotion", "rank_accuracy", 0.25, ResultRow.SEEN),
                row("none", 0, "spc-persona-response", "rouge_l", 0.1, ResultRow.HELD_OUT));
        assertEquals(Map.of("meld-emotion", 0.75), DemoCommand.majorityRates(dir, rows));
    }

    @Test
    void seenTasksAreMarkedAndEveryRowShowsItsChance() {
        List<ResultRow> rows = List.of(
                row("none", 0, "clinc150-intent", "rank_accuracy", 0.1, ResultRow.HELD_OUT),
                row("none", 0, "banking77-intent", "rank_accuracy", 0.1, ResultRow.SEEN),
                row("in-domain", 0, "clinc150-intent", "rank_accuracy", 0.2, ResultRow.HELD_OUT),
                row("in-domain", 0, "banking77-intent", "rank_accuracy", 0.5, ResultRow.SEEN),
                row("in-domain", 10, "clinc150-intent", "rank_accuracy", 0.3, ResultRow.HELD_OUT));
        StringWriter s = new StringWriter();
        DemoCommand.printTable(rows, Map.of("clinc150-intent", 0.1, "banking77-intent", 0.1), new PrintWriter(s, true));
        List<String> lines = s.toString().lines().toList();
        assertTrue(lines.get(0).contains("in-domain MTL, 10-shot") && lines.get(0).endsWith("| chance"), lines.get(0));
        String banking = lines.stream().filter(l -> l.startsWith("banking77-intent")).findFirst().orElseThrow();
        assertTrue(banking.startsWith("banking77-intent (rank_accuracy, seen)"), banking);
        assertEquals(List.of("0.1000", "0.5000", "-", "0.1000"),
                List.of(banking.split("\\|")).subList(1, 5).stream().map(String::strip).toList(), banking);
        String clinc = lines.stream().filter(l -> l.startsWith("clinc150-intent")).findFirst().orElseThrow();
        assertTrue(clinc.startsWith("clinc150-intent (rank_accuracy) "), clinc);
        assertEquals(List.of("0.1000", "0.2000", "0.3000", "0.1000"),
                List.of(clinc.split("\\|")).subList(1, 5).stream().map(String::strip).toList(), clinc);
    }
}
