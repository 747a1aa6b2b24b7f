package org.dialtune.eval.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dialtune.cli.CliRunner;
import org.dialtune.eval.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructionsAnalyzeCommandTest {
    @TempDir Path dir;

    private Path setUp() throws IOException {
        Path results = dir.resolve("run/results.csv");
        new ResultStore(results).appendCell(InstructionAnalysisTest.rows());
        Path instructions = dir.resolve("instructions");
        Files.createDirectories(instructions);
        for (String task : List.of("a-task", "b-task")) {
            StringBuilder json = new StringBuilder("{\"task\": \"" + task + "\", \"instructions\": [");
            List<Wording> ws = InstructionAnalysisTest.WORDINGS.stream().filter(w -> w.task().equals(task)).toList();
            for (int i = 0; i < ws.size(); i++) {
                json.append(i == 0 ? "" : ", ").append("{\"id\": \"").append(ws.get(i).id()).append("\", \"text\": \"")
                        .append(ws.get(i).text()).append("\"}");
            }
            Files.writeString(instructions.resolve(task + ".json"), json.append("]}").toString());
        }
        return results;
    }

    @Test
    void writesTheRankingCsvAndASelfContainedPage() throws IOException {
        Path results = setUp();
        CliRunner.Result r = CliRunner.run("instructions", "analyze", results.toString(),
                "--instructions-dir", dir.resolve("instructions").toString(), "--resamples", "1000");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("a-task: best w3 0.900, worst w2 0.300, spread 0.600\n"
                + "b-task: best w2 0.400, worst w1 0.100, spread 0.300\n"
                + "-> " + results.resolveSibling("instructions.csv") + ", " + results.resolveSibling("instructions.html") + "\n",
                r.out());
        List<CSVRecord> csv;
        try (Reader in = Files.newBufferedReader(results.resolveSibling("instructions.csv"))) {
            csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
        assertEquals(6, csv.size());
        CSVRecord first = csv.get(0);
        assertEquals(InstructionReport.CSV_COLUMNS, first.getParser().getHeaderNames());
        assertEquals("a-task", first.get("task"));
        assertEquals("1", first.get("rank"));
        assertEquals("w3", first.get("instruction_id"));
        assertEquals(0.9, Double.parseDouble(first.get("mean")), 1e-12);
        assertEquals(0.6, Double.parseDouble(first.get("spread")), 1e-12);
        assertEquals("11", first.get("words"));
        assertEquals("true", first.get("mentions_format"));
        assertEquals("Pick one of the options and answer with its label exactly.", first.get("text"));
        assertEquals("3", csv.get(2).get("rank"));

        String html = Files.readString(results.resolveSibling("instructions.html"));
        for (String external : List.of("http", "src=", "<script", "<link", "<img")) {
            assertFalse(html.toLowerCase().contains(external), external);
        }
        // feature chart, length scatter, one ranking chart per task
        assertEquals(4, html.split("<svg ", -1).length - 1);
        assertTrue(html.contains("<td>mentions the options</td><td class=\"num\">2</td><td class=\"num\">0</td>"
                + "<td class=\"num\">+0.350</td>"), html);
        assertTrue(html.contains("2 rows that scored no single wording"));
    }

    @Test
    void outDirectoryGetsOnlyTheTwoFiles() throws IOException {
        Path results = setUp();
        Path out = dir.resolve("analysis");
        assertEquals(0, CliRunner.run("instructions", "analyze", results.toString(), "--out", out.toString(),
                "--instructions-dir", dir.resolve("instructions").toString(), "--resamples", "200").exitCode());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("instructions.csv", "instructions.html"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void badInputGivesOneLineErrors() throws IOException {
        Path results = setUp();
        String dirOpt = dir.resolve("instructions").toString();
        assertError("dialtune: error: " + dir.resolve("nope.csv") + ": file not found",
                "instructions", "analyze", dir.resolve("nope.csv").toString(), "--instructions-dir", dirOpt);

        Files.delete(dir.resolve("instructions/b-task.json"));
        assertError("dialtune: error: " + dir.resolve("instructions/b-task.json") + ": file not found",
                "instructions", "analyze", results.toString(), "--instructions-dir", dirOpt);

        Files.writeString(dir.resolve("instructions/b-task.json"), "{\"task\": \"c-task\", \"instructions\": []}");
        assertError("dialtune: error: " + dir.resolve("instructions/b-task.json")
                + ": field \"task\": \"c-task\" differs from the file name (rename the file to c-task.json)",
                "instructions", "analyze", results.toString(), "--instructions-dir", dirOpt);

        Files.writeString(dir.resolve("instructions/b-task.json"), "{\"task\": \"b-task\", \"instructions\": [{\"id\": \"w1\"},"
                + " {\"id\": \"w2\", \"text\": \"b\"}, {\"id\": \"w3\", \"text\": \"c\"}]}");
        assertError("dialtune: error: " + dir.resolve("instructions/b-task.json")
                + ": field \"instructions.0.text\": missing (it is required)",
                "instructions", "analyze", results.toString(), "--instructions-dir", dirOpt);

        Path sampled = dir.resolve("sampled/results.csv");
        new ResultStore(sampled).appendCell(List.of(InstructionAnalysisTest.row("m", "a-task", "sampled", 1, 0.5)));
        assertError("dialtune: error: " + sampled + ": no row scored a single instruction wording (instruction_id is "
                + "none or sampled everywhere); evaluate each wording separately first",
                "instructions", "analyze", sampled.toString(), "--instructions-dir", dirOpt);
    }

    private static void assertError(String expected, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(expected + "\n", r.err());
    }
}
