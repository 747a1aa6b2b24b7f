package org.dialtune.model.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A T5-style Unigram tokenizer.json (trained by the fixture script with the tokenizers library) through
 * the family-neutral tokenizer: no BOS, {@code </s>} appended, {@code <pad>} 0, the ids the tokenizers
 * library gives, and truncation that keeps the closing {@code </s>}.
 */
class T5TokenizerTest {
    @ParameterizedTest
    @ValueSource(strings = {T5Fixture.V1_0, T5Fixture.V1_1})
    void encodesAsTheTokenizersLibrary(String name) {
        T5Fixture f = T5Fixture.load(name);
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(f.dir)) {
            Seq2SeqTokenizer.SpecialTokens s = tok.specialTokens();
            assertEquals(-1, s.bos(), "T5 has no BOS");
            assertEquals(0, s.pad());
            assertEquals(1, s.eos());
            assertEquals(2, s.unk());
            for (JsonElement e : f.root.getAsJsonArray("tokenizer_cases")) {
                JsonObject c = e.getAsJsonObject();
                long[] got = tok.encode(List.of(c.get("text").getAsString()), 10_000).ids().get(0);
                assertArrayEquals(T5Fixture.longs(c.get("ids")), got, c.get("text").getAsString());
            }
            for (JsonElement b : f.batches()) {
                JsonObject batch = b.getAsJsonObject();
                List<long[]> sources = T5Fixture.sources(batch);
                for (int i = 0; i < sources.size(); i++) {
                    String text = batch.getAsJsonArray("src_texts").get(i).getAsString();
                    assertArrayEquals(sources.get(i), tok.encode(List.of(text), 10_000).ids().get(0), text);
                }
            }
            long[] cut = tok.encode(List.of("Hello, how are you doing today?"), 4).ids().get(0);
            assertEquals(4, cut.length);
            assertEquals(1, cut[3], "truncation keeps </s>");
        }
    }
}
