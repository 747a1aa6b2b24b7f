package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dialtune tokenize}: the ids the model is fed, with visible truncation (bundled demo tokenizer). */
class TokenizeCommandTest {
    private static final Path TOKENIZER = Path.of("eval/demo/bart-tokenizer");

    @TempDir
    Path dir;

    private Path input(String... lines) throws IOException {
        Path p = dir.resolve("texts.jsonl");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void writesTheIdsWithSpecialTokens() throws IOException {
        // BART ids from transformers' BartTokenizerFast: "Hello world" -> <s> Hello Ġworld </s>
        Path in = input("{\"id\": 1, \"text\": \"Hello world\"}", "{\"id\": \"b\", \"text\": \"\"}");
        Path out = dir.resolve("ids.jsonl");
        CliRunner.Result r = CliRunner.run("tokenize", "--tokenizer", TOKENIZER.toString(), "--input", in.toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("{\"id\":1,\"ids\":[0,31414,232,2]}", "{\"id\":\"b\",\"ids\":[0,2]}"),
                Files.readAllLines(out));
        assertEquals("tokenize: wrote 2 token id lists to " + out + "\n", r.err());
    }

    @Test
    void truncationKeepsTheClosingTokenAndIsCounted() throws IOException {
        Path in = input("{\"id\": 1, \"text\": \"Hello world Hello world\"}", "{\"id\": 2, \"text\": \"Hello\"}");
        for (String cut : new String[] {"", "--prefix-cut"}) {
            Path out = dir.resolve("ids" + cut + ".jsonl");
            CliRunner.Result r = CliRunner.run(cut.isEmpty()
                    ? new String[] {"tokenize", "--tokenizer", TOKENIZER.toString(), "--input", in.toString(),
                        "--out", out.toString(), "--max-length", "4"}
                    : new String[] {"tokenize", "--tokenizer", TOKENIZER.toString(), "--input", in.toString(),
                        "--out", out.toString(), "--max-length", "4", cut});
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(List.of("{\"id\":1,\"ids\":[0,31414,232,2]}", "{\"id\":2,\"ids\":[0,31414,2]}"),
                    Files.readAllLines(out));
            assertTrue(r.err().startsWith("tokenize: 1 of 2 texts were longer than 4 tokens and were cut at the end "
                    + "(longest: "), r.err());
        }
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path in = input("{\"id\": 1, \"txt\": \"Hello\"}");
        CliRunner.Result r = CliRunner.run("tokenize", "--tokenizer", TOKENIZER.toString(), "--input", in.toString(),
                "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, r.exitCode());
        assertEquals("dialtune: error: " + in + ":1: field \"text\" is missing\n", r.err());
        r = CliRunner.run("tokenize", "--tokenizer", TOKENIZER.toString(), "--input", in.toString(),
                "--out", dir.resolve("o.jsonl").toString(), "--prefix-cut");
        assertEquals("dialtune: error: --prefix-cut needs --max-length\n", r.err());
    }
}
