package org.dialtune.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Opens the bytes of a remote file, optionally from an offset (to resume a partial download). */
public interface Source {
    /**
     * An open stream and the offset its first byte belongs to: {@code offset} when the source could
     * skip ahead, 0 when it sends the whole file anyway.
     */
    record Opened(InputStream stream, long startsAt) {}

    Opened open(URI uri, long offset) throws IOException;

    /** The source that serves {@code uri}'s scheme. */
    static Source forUri(URI uri) {
        return switch (uri.getScheme().toLowerCase(java.util.Locale.ROOT)) {
            case "file" -> FileSource.INSTANCE;
            case "http", "https" -> HttpSource.shared();
            default -> throw new IllegalArgumentException("no source for " + uri);
        };
    }
}
