package org.dialtune.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads whole text files as strict UTF-8. Java's own readers report a bad byte as "Input length = 1";
 * here it is a one-line {@link UserError} naming the file, line and column of the first bad byte.
 */
public final class Utf8Files {
    private Utf8Files() {}

    public static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": file not found");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        return decode(file, bytes);
    }

    /** The file's lines, split at \n, \r\n or \r (as {@link Files#readAllLines}). */
    public static List<String> readLines(Path file) {
        return read(file).lines().toList();
    }

    static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) throw notUtf8(file, bytes, in.position());
        r = decoder.flush(out);
        if (r.isError()) throw notUtf8(file, bytes, in.position());
        return out.flip().toString();
    }

    private static UserError notUtf8(Path file, byte[] bytes, int bad) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < bad; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new UserError(file + ":" + line + ": not valid UTF-8 (byte 0x" + String.format("%02x", bytes[bad] & 0xff)
                + " at byte " + (bad - lineStart + 1) + " of the line): save the file as UTF-8");
    }
}
