package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No command writes its output over one of its inputs, whether named the same way, by a link or a hard link. */
class OutputGuardTest {
    @TempDir Path dir;

    private static final String PAIRS = "{\"id\":\"a\",\"prediction\":\"the cat\",\"reference\":\"the cat\","
            + "\"source\":\"x\",\"options\":[\"the cat\",\"a dog\"]}\n";

    private Path input() throws IOException {
        return Files.writeString(dir.resolve("in.jsonl"), PAIRS);
    }

    private void assertRefused(Path in, String outArg, String inLabel, String... command) throws IOException {
        String[] args = new String[command.length + 4];
        System.arraycopy(command, 0, args, 0, command.length);
        System.arraycopy(new String[] {"--input", in.toString(), "--out", outArg}, 0, args, command.length, 4);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), String.join(" ", command) + ": " + r.err());
        assertEquals("dialtune: error: --out " + outArg + ": is the same file as " + inLabel
                + " (writing it would replace the input): choose another output file\n", r.err());
        assertEquals(PAIRS, Files.readString(in), "the input is intact");
    }

    @Test
    void metricGenerateAndRankRefuseOutEqualToInput() throws IOException {
        Path in = input();
        String model = dir.resolve("no-model").toString(); // refused before the model is looked at
        assertRefused(in, in.toString(), "--input " + in, "metric", "rouge-l");
        assertRefused(in, in.toString(), "--input " + in, "metric", "accuracy");
        assertRefused(in, in.toString(), "--input " + in, "generate", "--model", model);
        assertRefused(in, in.toString(), "--input " + in, "rank", "--model", model);
    }

    @Test
    void theSameFileUnderAnotherNameIsRefusedToo() throws IOException {
        Path in = input();
        Path symlink = Files.createSymbolicLink(dir.resolve("link.jsonl"), in);
        Path hardLink = Files.createLink(dir.resolve("hard.jsonl"), in);
        Files.createDirectories(dir.resolve("sub"));
        String dotted = dir.resolve("sub/../in.jsonl").toString();
        assertRefused(in, symlink.toString(), "--input " + in, "metric", "rouge-l");
        assertRefused(in, hardLink.toString(), "--input " + in, "metric", "accuracy");
        assertRefused(in, dotted, "--input " + in, "metric", "rouge-l");
        assertRefused(symlink, in.toString(), "--input " + symlink, "metric", "rouge-l");
    }

    @Test
    void anotherExistingOutputIsStillReplaced() throws IOException {
        Path in = input();
        Path out = Files.writeString(dir.resolve("old-scores.jsonl"), "old\n");
        CliRunner.Result r = CliRunner.run("metric", "rouge-l", "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"id\":\"a\",\"rougeL\":1.0,\"stemmed\":true}\n", Files.readString(out));
    }
}
