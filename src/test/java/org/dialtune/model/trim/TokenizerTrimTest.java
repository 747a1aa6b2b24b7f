package org.dialtune.model.trim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.junit.jupiter.api.Test;

class TokenizerTrimTest {
    private static final Path BART = Path.of("eval/demo/bart-tokenizer/tokenizer.json");
    private static final Path T5 = Path.of("src/test/resources/org/dialtune/model/t5/t5-v1_1/tokenizer.json");

    @Test
    void bpeMergeLoopTakesTheBestRankedPairFirst() {
        BpeMerges bpe = new BpeMerges(List.of(new String[] {"a", "b"}, new String[] {"ab", "c"}, new String[] {"b", "c"},
                new String[] {"c", "c"}));
        assertEquals(List.of("a", "b", "c", "ab", "abc"), new ArrayList<>(bpe.passedThrough("abc")));
        // "b c" (rank 2) goes before "c c" (rank 3); then the pair "c c" left of it is the only one
        assertEquals(List.of("b", "c", "bc", "cc"), new ArrayList<>(bpe.passedThrough("bccc")));
    }

    @Test
    void verificationRefusesATokenizerThatEncodesCoveredTextDifferently() throws Exception {
        List<String> texts = List.of("Hello there, how are you today?", "I want to open an account");
        TokenizerTrim trim = TokenizerTrim.read(BART);
        List<long[]> original;
        Set<Integer> used = new HashSet<>();
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(BART)) {
            original = tok.encode(texts, 100).ids();
        }
        original.forEach(ids -> java.util.Arrays.stream(ids).forEach(i -> used.add((int) i)));
        TreeSet<Integer> keep = trim.keep(used, Set.of());
        int[] newToOld = keep.stream().mapToInt(Integer::intValue).toArray();
        int[] oldToNew = new int[trim.size()];
        for (int i = 0; i < newToOld.length; i++) oldToNew[newToOld[i]] = i;
        JsonObject good = trim.trimmed(newToOld);
        VocabularyTrimmer.verify(BART, bytes(good), texts, oldToNew); // passes

        JsonObject broken = good.deepCopy();
        broken.getAsJsonObject("model").add("merges", new JsonArray()); // the byte symbols are left
        UserError e = assertThrows(UserError.class,
                () -> VocabularyTrimmer.verify(BART, bytes(broken), texts, oldToNew));
        assertTrue(e.getMessage().startsWith(BART + ": the trimmed tokenizer encodes a covered text differently, so nothing"
                + " was written: \"Hello there, how are you today?\" from token 1 on gave ["), e.getMessage());
    }

    @Test
    void unigramKeepsUnknownAndTheLowestScoredPiece() {
        TokenizerTrim trim = TokenizerTrim.read(T5);
        JsonArray vocab = trim.json().getAsJsonObject("model").getAsJsonArray("vocab");
        int lowest = 0;
        for (int i = 0; i < vocab.size(); i++) {
            if (vocab.get(i).getAsJsonArray().get(1).getAsDouble() < vocab.get(lowest).getAsJsonArray().get(1).getAsDouble()) lowest = i;
        }
        TreeSet<Integer> keep = trim.keep(Set.of(1, 5), Set.of());
        // used pieces, pad/</s>/<unk> and the 4 sentinels (added tokens), the lowest-scored piece (unknown characters score below it)
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 5, lowest, 250, 251, 252, 253)), keep);
    }

    private static byte[] bytes(JsonObject json) {
        return Json.COMPACT.toJson(json).getBytes(StandardCharsets.UTF_8);
    }
}
