package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestTest {
    @TempDir Path dir;

    @Test
    void matchesFipsReferenceVectors() throws IOException {
        assertEquals(new FileDigest(3, FakeMirror.ABC_SHA), digest(FakeMirror.ABC));
        assertEquals(new FileDigest(0, FakeMirror.EMPTY_SHA), digest(""));
        assertEquals(new FileDigest(56, FakeMirror.LONG_SHA), digest(FakeMirror.LONG));
        assertEquals(new FileDigest(1_000_000, FakeMirror.MILLION_A_SHA), digest("a".repeat(1_000_000)));
    }

    private FileDigest digest(String content) throws IOException {
        Path f = Files.writeString(dir.resolve("f" + content.length()), content);
        return FileDigest.of(f);
    }
}
