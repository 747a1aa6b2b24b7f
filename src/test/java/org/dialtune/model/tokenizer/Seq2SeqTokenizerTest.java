package org.dialtune.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.TokenBatch;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Seq2SeqTokenizerTest {
    private static Seq2SeqTokenizer tok;
    private static Path tokenizerFile;

    @BeforeAll
    static void load() {
        tokenizerFile = SharedData.require("models/bart-tokenizer/tokenizer.json");
        tok = Seq2SeqTokenizer.load(tokenizerFile.getParent());
    }

    @AfterAll
    static void close() {
        if (tok != null) tok.close();
    }

    @Test
    void everyFixtureCaseGivesTheReferenceIds() {
        for (String model : List.of("tiny-bart", "tiny-bart-std0.2")) {
            JsonObject fx = Json.parseFile(SharedData.require("models/" + model + "/fixtures.json")).getAsJsonObject();
            List<String> texts = new ArrayList<>();
            List<long[]> expected = new ArrayList<>();
            for (JsonElement c : fx.getAsJsonArray("tokenizer_cases")) {
                texts.add(c.getAsJsonObject().get("text").getAsString());
                expected.add(Json.COMPACT.fromJson(c.getAsJsonObject().get("ids"), long[].class));
            }
            assertTrue(texts.size() >= 9, "fixture cases: " + texts.size());
            Seq2SeqTokenizer.Encoded enc = tok.encode(texts, 1024);
            assertEquals(0, enc.truncated());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected.get(i), enc.ids().get(i), model + " case " + i + ": " + texts.get(i));
            }
        }
    }

    @Test
    void specialTokensAndVocabSizeComeFromTokenizerJson() {
        assertEquals(new Seq2SeqTokenizer.SpecialTokens(0, 1, 2, 3, 50264), tok.specialTokens());
        assertEquals(50265, tok.vocabSize());
    }

    @Test
    void decodeDropsSpecialTokensAndRoundTripsPlainText() {
        List<String> texts = List.of("Hello world! cécé herlolip", " leading space and  double  spaces",
                "Ünïcödé — emoji 🤗, tabs\tand\nnewlines", "");
        Seq2SeqTokenizer.Encoded enc = tok.encode(texts, 1024);
        for (int i = 0; i < texts.size(); i++) assertEquals(texts.get(i), tok.decode(enc.ids().get(i)));
        // a generated row: decoder start, BOS, text, EOS, padding
        assertEquals("Hello world!", tok.decode(new long[] {2, 0, 31414, 232, 328, 2, 1, 1}));
    }

    @Test
    void batchIsRightPaddedWithThePadIdAndMasked() {
        TokenBatch b = tok.encode(List.of("Hello world!", "A long paragraph for summarization."), 1024)
                .padded(tok.specialTokens().pad());
        assertEquals(2, b.rows());
        assertEquals(9, b.width());
        assertArrayEquals(new long[] {0, 31414, 232, 328, 2, 1, 1, 1, 1}, b.row(0));
        assertEquals(5, b.length(0));
        assertEquals(9, b.length(1));
    }

    @Test
    void truncationIsCountedAndMatchesTheLibrarysOwnTruncation() throws IOException {
        String longText = "word ".repeat(700);
        List<String> texts = List.of("Hello world!", longText, "A long paragraph for summarization.");
        Seq2SeqTokenizer.Encoded enc = tok.encode(texts, 8);
        assertEquals(2, enc.truncated());
        assertEquals(703, enc.longestBeforeTruncation()); // 700 words + trailing space + <s>, </s>
        // Hugging Face truncation keeps <s> ... </s> around the first maxLength-2 text tokens
        try (HuggingFaceTokenizer lib = HuggingFaceTokenizer.newInstance(tokenizerFile,
                Map.of("padding", "false", "truncation", "true", "maxLength", "8", "modelMaxLength", "8"))) {
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(lib.encode(texts.get(i)).getIds(), enc.ids().get(i), "text " + i);
            }
        }
        assertArrayEquals(new long[] {0, 250, 251, 17818, 13, 39186, 1938, 2}, enc.ids().get(2));
        // no limit reached: nothing cut, even past DJL's silent default of 512
        assertEquals(703, tok.encode(List.of(longText), 4096).ids().get(0).length);
    }

    @Test
    void tooSmallMaxLengthIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> tok.encode(List.of("x"), 2));
        assertEquals("maximum length 2 leaves no room for text: use at least 3", e.getMessage());
    }

    @Test
    void missingSpecialTokenNamesTheFile(@TempDir Path dir) throws IOException {
        JsonObject json = Json.parseFile(tokenizerFile).getAsJsonObject();
        json.getAsJsonObject("model").getAsJsonObject("vocab").remove("<pad>");
        var added = json.getAsJsonArray("added_tokens");
        for (int i = added.size() - 1; i >= 0; i--) {
            if (added.get(i).getAsJsonObject().get("content").getAsString().equals("<pad>")) added.remove(i);
        }
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, Json.COMPACT.toJson(json));
        UserError e = assertThrows(UserError.class, () -> Seq2SeqTokenizer.load(dir));
        assertEquals(f + ": field \"added_tokens\": no <pad> token (dialtune pads batches with it; use the"
                + " checkpoint's own tokenizer.json)", e.getMessage());
    }

    /**
     * The special-token conventions are the file's: with T5's template ({@code $A </s>}, no BOS) on the
     * same vocabulary there is no BOS, texts end with {@code </s>}, and truncation keeps it.
     */
    @Test
    void aTemplateWithoutBosGivesNoBos(@TempDir Path dir) throws IOException {
        JsonObject json = Json.parseFile(tokenizerFile).getAsJsonObject();
        json.add("post_processor", com.google.gson.JsonParser.parseString("{\"type\": \"TemplateProcessing\","
                + " \"single\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\": {\"id\": \"</s>\","
                + " \"type_id\": 0}}], \"pair\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"SpecialToken\":"
                + " {\"id\": \"</s>\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 0}},"
                + " {\"SpecialToken\": {\"id\": \"</s>\", \"type_id\": 0}}], \"special_tokens\": {\"</s>\": {\"id\":"
                + " \"</s>\", \"ids\": [2], \"tokens\": [\"</s>\"]}}}"));
        Files.writeString(dir.resolve("tokenizer.json"), Json.COMPACT.toJson(json));
        try (Seq2SeqTokenizer t5Style = Seq2SeqTokenizer.load(dir)) {
            assertEquals(new Seq2SeqTokenizer.SpecialTokens(-1, 1, 2, 3, 50264), t5Style.specialTokens());
            assertEquals(1, t5Style.specialTokenCount());
            Seq2SeqTokenizer.Encoded enc = t5Style.encode(List.of("Hello world!", "word ".repeat(20)), 4);
            assertArrayEquals(new long[] {31414, 232, 328, 2}, enc.ids().get(0));
            assertArrayEquals(new long[] {14742, 2136, 2136, 2}, enc.ids().get(1));
            assertEquals(1, enc.truncated());
        }
    }

    @Test
    void aTokenizerOfAnotherModelIsRefused() {
        JsonObject c = Json.parseFile(SharedData.require("models/tiny-bart/config.json")).getAsJsonObject();
        tok.checkFits(ModelFamilies.config(c, Path.of("m/config.json")));
        c.addProperty("pad_token_id", 0);
        UserError e = assertThrows(UserError.class, () -> tok.checkFits(ModelFamilies.config(c, Path.of("m/config.json"))));
        assertEquals(tokenizerFile + ": the tokenizer's <pad> is id 1 but m/config.json has pad_token_id 0: use the"
                + " checkpoint's own tokenizer", e.getMessage());
        c.addProperty("eos_token_id", 1);
        e = assertThrows(UserError.class, () -> tok.checkFits(ModelFamilies.config(c, Path.of("m/config.json"))));
        assertEquals(tokenizerFile + ": the tokenizer ends texts with id 2 but m/config.json has eos_token_id 1: use the"
                + " checkpoint's own tokenizer", e.getMessage());
        c.addProperty("vocab_size", 100);
        e = assertThrows(UserError.class, () -> tok.checkFits(ModelFamilies.config(c, Path.of("m/config.json"))));
        assertEquals(tokenizerFile + ": the tokenizer has 50265 token ids but m/config.json has vocab_size 100: use the"
                + " checkpoint's own tokenizer", e.getMessage());
    }

    @Test
    void missingFileIsAUserError(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> Seq2SeqTokenizer.load(dir));
        assertEquals(dir.resolve("tokenizer.json") + ": file not found", e.getMessage());
    }
}
