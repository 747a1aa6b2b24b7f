package org.dialtune.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.dialtune.common.Json;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Encoding only the kept prefix of a long text must give exactly the ids of encoding it whole. */
class PrefixCutTest {
    private static final String[] PIECES = {"hello", "Hello", "don't", "we'll", "I'm", "1234", "3.5", "$20", "ok?!",
        "...", "--", "café", "naïve", "日本語", "🙂", "<mask>", "<s>", "(yes)", "e-mail", "#tag", "A:", "B:", "'s", "\"quoted\""};
    private static final String[] GAPS = {" ", " ", " ", "  ", "\n", "\n\n", "\t", " \n ", "   "};

    private static String randomText(Random r, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            if (i > 0 || r.nextInt(5) == 0) b.append(GAPS[r.nextInt(GAPS.length)]);
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        if (r.nextInt(4) == 0) b.append(GAPS[r.nextInt(GAPS.length)]);
        return b.toString();
    }

    /** Texts of the bundled demo datasets (real dialogue text: names, numbers, turns, punctuation). */
    private static List<String> realTexts() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("eval/demo/data"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("LICENSE")).toList()) {
                String all = Files.readString(f);
                for (int at = 0; at + 4000 <= all.length() && out.size() < 200; at += 1500) out.add(all.substring(at, at + 4000));
            }
        }
        return out;
    }

    private static void assertSameAsWhole(Seq2SeqTokenizer tok, List<String> texts, int maxLength) {
        Seq2SeqTokenizer.Encoded whole = tok.encode(texts, maxLength);
        Seq2SeqTokenizer.Encoded kept = tok.encodeKept(texts, maxLength);
        assertEquals(whole.truncated(), kept.truncated(), "truncation count at " + maxLength);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(whole.ids().get(i), kept.ids().get(i), "text " + i + " at max " + maxLength + ": " + texts.get(i));
        }
    }

    @Test
    void keptPrefixesEncodeExactlyLikeWholeTexts() throws IOException {
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(SharedData.require("models/bart-tokenizer/tokenizer.json"))) {
            Random r = new Random(11);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 300; i++) texts.add(randomText(r, 1 + r.nextInt(700)));
            texts.addAll(realTexts());
            texts.add("");
            texts.add(" " + "x".repeat(5000)); // no space to cut at: encoded whole
            for (int max : new int[] {3, 8, 20, 64, 128, 512}) assertSameAsWhole(tok, texts, max);
        }
    }

    @Test
    void cutsOnlyBeforeASpaceThatEndsAWord() {
        assertEquals(-1, PrefixCut.at("short text", 10));
        String text = "a".repeat(10) + "  b" + " c".repeat(40);
        int at = PrefixCut.at(text, 3); // budget 18 chars
        assertEquals(' ', text.charAt(at));
        assertFalse(Character.isWhitespace(text.charAt(at - 1)));
        assertTrue(at <= 18);
        assertEquals(-1, PrefixCut.at("x".repeat(100), 2));
    }

    @Test
    void onlyByteLevelTokenizersWithoutNormalizerAreCut() {
        JsonObject bart = Json.parseFile(SharedData.require("models/bart-tokenizer/tokenizer.json")).getAsJsonObject();
        assertTrue(PrefixCut.applies(bart));
        JsonObject normalized = bart.deepCopy();
        normalized.add("normalizer", Json.COMPACT.fromJson("{\"type\": \"Lowercase\"}", JsonObject.class));
        assertFalse(PrefixCut.applies(normalized));
        JsonObject metaspace = bart.deepCopy();
        metaspace.add("pre_tokenizer", Json.COMPACT.fromJson("{\"type\": \"Metaspace\"}", JsonObject.class));
        assertFalse(PrefixCut.applies(metaspace));
        JsonObject prefixSpace = bart.deepCopy();
        prefixSpace.getAsJsonObject("pre_tokenizer").addProperty("add_prefix_space", true);
        assertFalse(PrefixCut.applies(prefixSpace));
    }
}
