package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, lines.length == 0 ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private List<String> read(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    @Test
    void rougeLWritesScoresAndASummaryThatNamesTheStemming() throws IOException {
        Path in = write("pairs.jsonl",
                "{\"id\":\"a\",\"prediction\":\"The cats were running.\",\"reference\":\"the cat runs\"}",
                "{\"id\":\"b\",\"prediction\":\"\",\"reference\":\"something\"}",
                "{\"id\":7,\"prediction\":\"a dog\",\"references\":[\"no match\",\"a big dog\"]}");
        Path out = dir.resolve("scores.jsonl");
        CliRunner.Result r = CliRunner.run("metric", "rouge-l", "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        // a: tokens [the cat were run] vs [the cat run]: LCS 3, P 3/4, R 1 -> 6/7; c: best is "a big dog": 2*1*(2/3)/(5/3)
        assertEquals(List.of(
                "{\"id\":\"a\",\"rougeL\":0.8571428571428571,\"stemmed\":true}",
                "{\"id\":\"b\",\"rougeL\":0.0,\"stemmed\":true}",
                "{\"id\":\"7\",\"rougeL\":0.8,\"stemmed\":true}"), read(out));
        assertEquals("rouge_l = 0.5524 (examples=3, empty_prediction=1, empty_reference=0; stemming=on) -> " + out,
                r.out().strip());

        CliRunner.Result plain = CliRunner.run("metric", "rouge-l", "--input", in.toString(), "--out", out.toString(),
                "--no-stem");
        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals("{\"id\":\"a\",\"rougeL\":0.28571428571428575,\"stemmed\":false}", read(out).get(0));
        assertTrue(plain.out().contains("stemming=off"), plain.out());
    }

    @Test
    void rougeLsumSplitsSentencesAtNewlines() throws IOException {
        Path in = write("pairs.jsonl", "{\"id\":\"x\",\"prediction\":\"a c\\nd b e\",\"reference\":\"a b c\\nd e\"}");
        Path out = dir.resolve("s.jsonl");
        CliRunner.Result r = CliRunner.run("metric", "rouge-l", "--sum", "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("{\"id\":\"x\",\"rougeLsum\":1.0,\"stemmed\":true}"), read(out));
        assertTrue(r.out().startsWith("rouge_lsum = 1.0000"), r.out());
    }

    @Test
    void accuracyStripsTheTemplateAndCountsOutOfLabel() throws IOException {
        String options = "\"options\":[\"The intent is balance.\",\"The intent is refund.\"]";
        Path in = write("pairs.jsonl",
                "{\"id\":\"1\",\"prediction\":\"The intent is Balance\",\"reference\":\"The intent is balance.\"," + options + "}",
                "{\"id\":\"2\",\"prediction\":\"The intent is weather.\",\"reference\":\"The intent is refund.\"," + options + "}",
                "{\"id\":\"3\",\"prediction\":\"refund!\",\"reference\":\"The intent is refund.\"," + options + "}");
        Path out = dir.resolve("acc.jsonl");
        CliRunner.Result r = CliRunner.run("metric", "accuracy", "--input", in.toString(),
                "--template", "The intent is {answer}.", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("accuracy = 0.6667 (examples=3, correct=2, with_options=3, out_of_label=1, reference_not_in_options=0;"
                + " template=The intent is {answer}.) -> " + out, r.out().strip());
        assertEquals(List.of("{\"id\":\"1\",\"correct\":true,\"out_of_label\":false}",
                "{\"id\":\"2\",\"correct\":false,\"out_of_label\":true}",
                "{\"id\":\"3\",\"correct\":true,\"out_of_label\":false}"), read(out));
    }

    @Test
    void badTemplateIsAUserError() throws IOException {
        Path in = write("p.jsonl", "{\"id\":\"1\",\"prediction\":\"a\",\"reference\":\"a\"}");
        CliRunner.Result r = CliRunner.run("metric", "accuracy", "--input", in.toString(), "--template", "no placeholder");
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: --template: answer template \"no placeholder\" must contain {answer} exactly once",
                r.err().strip());
    }

    /** Runs rouge-l on one bad file; the error must be one line and the existing output untouched. */
    private String rougeError(String... lines) throws IOException {
        Path in = write("bad.jsonl", lines);
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "previous\n");
        CliRunner.Result r = CliRunner.run("metric", "rouge-l", "--input", in.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals("previous\n", Files.readString(out), "a failed run must not touch the output");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        return r.err().strip().replace(in.toString(), "IN");
    }

    @Test
    void badInputIsOneLineNamingFileLineAndField() throws IOException {
        String ok = "{\"id\":\"1\",\"prediction\":\"a\",\"reference\":\"a\"}";
        assertEquals("dialtune: error: IN: empty: expected one {\"id\", \"prediction\", \"reference\"} object per line",
                rougeError());
        assertEquals("dialtune: error: IN:2: field \"prediction\": missing",
                rougeError(ok, "{\"id\":\"2\",\"reference\":\"a\"}"));
        assertEquals("dialtune: error: IN:1: field \"reference\": missing (give \"reference\" or \"references\")",
                rougeError("{\"id\":\"1\",\"prediction\":\"a\"}"));
        assertEquals("dialtune: error: IN:1: field \"prediction\": NaN is not allowed (write the text as a JSON string)",
                rougeError("{\"id\":\"1\",\"prediction\":NaN,\"reference\":\"a\"}"));
        assertEquals("dialtune: error: IN:1: field \"reference\": -Infinity is not allowed (write the text as a JSON string)",
                rougeError("{\"id\":\"1\",\"prediction\":\"NaN\",\"reference\": -Infinity}"));
        assertEquals("dialtune: error: IN:1: field \"prediction\": expected a string, got 3.5",
                rougeError("{\"id\":\"1\",\"prediction\":3.5,\"reference\":\"a\"}"));
        assertEquals("dialtune: error: IN:2: field \"id\": \"1\" is already used on line 1 (ids must be unique)",
                rougeError(ok, ok));
        assertEquals("dialtune: error: IN:1: field \"references\": empty (give at least one)",
                rougeError("{\"id\":\"1\",\"prediction\":\"a\",\"references\":[]}"));
        assertEquals("dialtune: error: IN:2: blank line (each line must be one JSON object; remove it)",
                rougeError(ok, "", "{\"id\":\"3\",\"prediction\":\"a\",\"reference\":\"a\"}"));
        assertEquals("dialtune: error: IN:2: field \"options\": missing here but given on line 1"
                        + " (give options on every line or on none)",
                rougeError("{\"id\":\"1\",\"prediction\":\"a\",\"reference\":\"a\",\"options\":[\"a\"]}",
                        "{\"id\":\"2\",\"prediction\":\"a\",\"reference\":\"a\"}"));
        assertTrue(rougeError(ok, "{\"id\":\"2\",\"prediction\":\"a\"").startsWith("dialtune: error: IN:2: not valid JSON: "));
    }

    @Test
    void helpListsTheMetricCommands() {
        CliRunner.Result r = CliRunner.run("metric", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("rouge-l") && r.out().contains("accuracy"), r.out());
    }

    @Test
    void missingInputFileAndUnknownOptionsAreUserErrors() {
        Path missing = dir.resolve("nope.jsonl");
        CliRunner.Result r = CliRunner.run("metric", "rouge-l", "--input", missing.toString(), "--out",
                dir.resolve("o.jsonl").toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + missing + ": file not found", r.err().strip());
        assertFalse(Files.exists(dir.resolve("o.jsonl")));
        assertEquals(2, CliRunner.run("metric", "rouge-l", "--input", missing.toString()).exitCode()); // --out required
    }

    @Test
    void nonUtf8InputNamesTheFileAndLine() throws IOException {
        Path in = dir.resolve("latin1.jsonl");
        Files.write(in, ("{\"id\":\"a\",\"prediction\":\"x\",\"reference\":\"x\"}\n"
                + "{\"id\":\"b\",\"prediction\":\"caf\u00e9\",\"reference\":\"x\"}\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String metric : List.of("rouge-l", "accuracy")) {
            CliRunner.Result r = CliRunner.run("metric", metric, "--input", in.toString(), "--out",
                    dir.resolve("s.jsonl").toString());
            assertEquals(2, r.exitCode(), r.err());
            assertEquals("dialtune: error: " + in + ":2: not valid UTF-8 (byte 0xe9 at byte 28 of the line): save the"
                    + " file as UTF-8\n", r.err());
        }
        CliRunner.Result g = CliRunner.run("generate", "--model", dir.toString(), "--input", in.toString(), "--out",
                dir.resolve("g.jsonl").toString());
        assertEquals("dialtune: error: " + in + ":2: not valid UTF-8 (byte 0xe9 at byte 28 of the line): save the"
                + " file as UTF-8\n", g.err());
    }
}
