package org.dialtune.task;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens data files as UTF-8, strictly by default, or replacing broken bytes when a task asks for it. */
final class TextFiles {
    private TextFiles() {}

    static BufferedReader open(Path file, boolean lenient) throws IOException {
        CodingErrorAction onError = lenient ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(onError)
                .onUnmappableCharacter(onError);
        BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), dec), 1 << 16);
        r.mark(1);
        if (r.read() != '\uFEFF') r.reset(); // a byte-order mark is not part of the first field
        return r;
    }

    static String encodingHint() {
        return "not valid UTF-8 (fix the file, or set \"format\": {\"lenient_encoding\": true} "
                + "to replace broken bytes)";
    }
}
