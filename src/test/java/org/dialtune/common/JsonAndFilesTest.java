package org.dialtune.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonAndFilesTest {
    @TempDir Path dir;

    @Test
    void malformedJsonNamesFileAndPosition() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"a\": 1,\n \"b\": }");
        UserError e = assertThrows(UserError.class, () -> Json.parseFile(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void missingFileIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> Json.parseFile(dir.resolve("nope.json")));
        assertEquals(dir.resolve("nope.json") + ": file not found", e.getMessage());
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("sub/out.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void writtenFilesAreReadableByOthers() throws IOException {
        Path f = dir.resolve("report.html");
        AtomicFiles.writeString(f, "x");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path f = dir.resolve("keep.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeText(f, w -> {
            w.write("half");
            throw new IllegalStateException("crash mid-write");
        }));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
