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
}
