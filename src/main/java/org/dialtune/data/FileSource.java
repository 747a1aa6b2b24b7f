package org.dialtune.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A mirror on a local or mounted file system ({@code file://}): a plain file copy. */
final class FileSource implements Source {
    static final FileSource INSTANCE = new FileSource();

    @Override
    public Opened open(URI uri, long offset) throws IOException {
        Path file = Path.of(uri);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "not in the mirror");
        }
        try {
            long start = offset <= ch.size() ? offset : 0;
            ch.position(start);
            InputStream in = Channels.newInputStream(ch);
            return new Opened(in, start);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
