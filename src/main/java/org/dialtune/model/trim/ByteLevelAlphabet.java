package org.dialtune.model.trim;

import java.util.ArrayList;
import java.util.List;

/**
 * The 256 symbols of byte-level BPE (GPT-2's {@code bytes_to_unicode}): printable Latin-1 bytes stand for
 * themselves, the other bytes for the code points from 256 on, in byte order. A vocabulary that keeps
 * them all can encode any text.
 */
final class ByteLevelAlphabet {
    private ByteLevelAlphabet() {}

    static List<String> symbols() {
        List<String> out = new ArrayList<>(256);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out.add(new String(Character.toChars(printable ? b : 256 + n++)));
        }
        return out;
    }
}
