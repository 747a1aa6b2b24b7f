package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SourceLocatorTest {
    private static final String COMMIT = "57ec275d8078af65b7731c2a98be812d844a6d6b";

    @Test
    void defaultIsGithubRawAtThePinnedCommit() {
        assertEquals(URI.create("https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/" + COMMIT
                        + "/banking_data/train.csv"),
                SourceLocator.githubRaw().locate("PolyAI-LDN/task-specific-datasets", COMMIT, "banking_data/train.csv"));
    }

    @Test
    void pathSegmentsAreEscapedButSlashesKept() {
        assertEquals("https://mirror.example/base/o/r/" + COMMIT + "/My%20Data/a%2Bb.json",
                SourceLocator.parse("https://mirror.example/base", "--mirror").locate("o/r", COMMIT, "My Data/a+b.json")
                        .toString());
    }

    @Test
    void fileMirrorResolvesToTheFileOnDisk() {
        Path base = Path.of("/srv/mirror");
        assertEquals(base.resolve("o/r/" + COMMIT + "/My Data/x.json").toUri(),
                SourceLocator.parse(base.toUri().toString(), "--mirror").locate("o/r", COMMIT, "My Data/x.json"));
        assertEquals(SourceLocator.parse(base.toUri().toString(), "--mirror"), SourceLocator.parse("/srv/mirror", "--mirror"));
    }
}
