package org.dialtune.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures of reading and writing files are one line naming the file (and line), never Java's or Gson's wording. */
class ReadableErrorsTest {
    @TempDir Path dir;

    private Path bytes(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void gsonsAdviceToCallSetStrictnessIsNotShownToUsers() throws IOException {
        Path f = Files.writeString(dir.resolve("task.json"), "{\"name\": 'x'}");
        UserError e = assertThrows(UserError.class, () -> Json.parseFile(f));
        assertEquals(f + ": not valid JSON: malformed JSON at line 1 column 11 path $.name", e.getMessage());
        UserError line = assertThrows(UserError.class, () -> Json.parseLine(f, 3, "{id: 1}"));
        assertEquals(f + ":3: not valid JSON: malformed JSON at line 1 column 3 path $.", line.getMessage());
    }

    @Test
    void contentAfterTheJsonValueIsAnErrorNotIgnored() throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), "{\"a\": 1}\n{\"a\": 2}\n");
        UserError e = assertThrows(UserError.class, () -> Json.parseFile(f));
        assertEquals(f + ": not valid JSON: more content after the end of the JSON value at line 2 column 2 path $"
                + " (one JSON value per file)", e.getMessage());
        UserError garbage = assertThrows(UserError.class, () -> Json.parseLine(f, 1, "{\"id\": 1} x"));
        assertEquals(f + ":1: not valid JSON: more content after the end of the JSON value at line 1 column 12 path $"
                + " (one JSON value per line)", garbage.getMessage());
    }

    @Test
    void invalidUtf8NamesFileLineAndByte() throws IOException {
        Path f = bytes("pairs.jsonl", "{\"id\": 1}\n{\"id\": \"caf\u00e9 \uFFFD\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        UserError e = assertThrows(UserError.class, () -> Utf8Files.readLines(f));
        assertEquals(f + ":2: not valid UTF-8 (byte 0xe9 at byte 12 of the line): save the file as UTF-8", e.getMessage());
        UserError json = assertThrows(UserError.class, () -> Json.parseFile(f));
        assertEquals(e.getMessage(), json.getMessage());
        assertEquals(List.of("a", "b", "", "c"), Utf8Files.readLines(bytes("ok.txt", "a\r\nb\n\nc\n".getBytes())));
    }

    @Test
    void aWriteFailureInsideTheWriterNamesTheOutputFile() {
        Path out = dir.resolve("out.jsonl");
        UserError e = assertThrows(UserError.class, () -> AtomicFiles.writeText(out, w -> {
            w.write("first line\n");
            throw new UncheckedIOException(new IOException("No space left on device"));
        }));
        assertEquals(out + ": cannot write: No space left on device", e.getMessage());
        assertEquals(List.of(), dir.toFile().list() == null ? List.of() : List.of(dir.toFile().list()));
    }

    @Test
    void aFullDeviceIsWrittenInPlaceAndItsErrorNamesTheFile() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
        // through a link, so that a regression (renaming over the target) replaces the link, never /dev/full
        Path out = Files.createSymbolicLink(dir.resolve("out.jsonl"), Path.of("/dev/full"));
        UserError e = assertThrows(UserError.class, () -> AtomicFiles.writeString(out, "x\n"));
        assertEquals(out + ": cannot write: No space left on device", e.getMessage());
        assertEquals(true, Files.isSymbolicLink(out));
        Path devNull = Files.createSymbolicLink(dir.resolve("null.jsonl"), Path.of("/dev/null"));
        AtomicFiles.writeString(devNull, "discarded\n");
        assertEquals(true, Files.isSymbolicLink(devNull));
    }
}
