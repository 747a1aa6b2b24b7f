package org.dialtune.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.TokenBatch;
import org.dialtune.model.checkpoint.TokenizerVocab;

/**
 * A checkpoint's Hugging Face {@code tokenizer.json}, of any family (BART's byte-level BPE, T5's
 * Unigram, ...), through DJL's native tokenizers binding, plus what DJL does not offer: special-token
 * ids and vocabulary size (parsed from the JSON), and truncation that is counted instead of silent.
 *
 * <p>The special-token conventions are the file's, not code: the post-processor's template says what
 * goes around a text (BART: {@code <s>} … {@code </s>}, so BOS 0 and EOS 2; T5: … {@code </s>}, no
 * BOS), and the {@code <pad>}, {@code <unk>} and {@code <mask>} tokens are looked up by name.
 *
 * <p>DJL's own truncation is switched off on purpose: by default it cuts every text to 512 tokens
 * without saying so, and clamps larger limits to 512 (djl-notes gotcha 8). We encode in full and cut
 * here, keeping the post-processor's special tokens exactly like the Hugging Face truncation does.
 */
public final class Seq2SeqTokenizer implements AutoCloseable, org.dialtune.format.TokenCounter {
    private final Path file;
    private final HuggingFaceTokenizer hf;
    private final SpecialTokens specials;
    private final int vocabSize;
    /** Special tokens the post-processor puts before / after the text of one sequence. */
    private final int templatePrefix;
    private final int templateSuffix;
    /** Whether long texts may be cut before encoding ({@link PrefixCut}). */
    private final boolean prefixCut;

    /**
     * Token ids of the special tokens; -1 where there is none: {@code bos} is the token the template
     * puts before a text, {@code eos} the one it puts after it.
     */
    public record SpecialTokens(int bos, int pad, int eos, int unk, int mask) {}

    /**
     * Texts encoded with special tokens, not padded. {@code truncated} counts the texts that were
     * longer than {@code maxLength} and were cut; {@code longestBeforeTruncation} says how long the
     * longest one was, so a user can pick a better limit.
     */
    public record Encoded(List<long[]> ids, int maxLength, int truncated, int longestBeforeTruncation) {
        public Encoded {
            ids = List.copyOf(ids);
        }

        /** Right-padded batch for the model. */
        public TokenBatch padded(long padId) {
            return TokenBatch.pad(ids, padId);
        }
    }

    private Seq2SeqTokenizer(Path file, HuggingFaceTokenizer hf, Map<String, Integer> known, int vocabSize,
                             boolean prefixCut) {
        this.file = file;
        this.prefixCut = prefixCut;
        this.hf = hf;
        this.vocabSize = vocabSize;
        long[] withSpecials = hf.encode("a", true, false).getIds();
        long[] plain = hf.encode("a", false, false).getIds();
        this.templatePrefix = indexOf(withSpecials, plain);
        if (templatePrefix < 0) {
            throw new UserError(file + ": field \"post_processor\": the special tokens it adds do not surround the"
                    + " text (use the checkpoint's own tokenizer.json)");
        }
        this.templateSuffix = withSpecials.length - templatePrefix - plain.length;
        if (templateSuffix == 0) {
            throw new UserError(file + ": field \"post_processor\": its template ends a text with no token; dialtune"
                    + " needs an end-of-sequence token such as </s> (use the checkpoint's own tokenizer.json)");
        }
        int bos = templatePrefix > 0 ? (int) withSpecials[0] : -1;
        int eos = (int) withSpecials[withSpecials.length - 1];
        this.specials = new SpecialTokens(bos, required(file, known, "<pad>"), eos, known.getOrDefault("<unk>", -1),
                known.getOrDefault("<mask>", -1));
    }

    /** Loads {@code tokenizer.json} from a checkpoint directory or a file path. */
    public static Seq2SeqTokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
        JsonElement json = Json.parseFile(file);
        if (!json.isJsonObject()) throw new UserError(file + ": expected a Hugging Face tokenizer.json object");
        JsonObject root = json.getAsJsonObject();
        Map<String, Integer> known = tokenIds(file, root);
        int vocabSize = TokenizerVocab.size(file);
        // Padding and truncation off: we pad with the model's pad id and truncate visibly (see class doc).
        Map<String, String> options = Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true");
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a tokenizer the Hugging Face tokenizers library can read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        try {
            return new Seq2SeqTokenizer(file, hf, known, vocabSize, PrefixCut.applies(root));
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    public SpecialTokens specialTokens() {
        return specials;
    }

    /** Number of ids the tokenizer can produce (largest id + 1): must not exceed the model's vocab_size. */
    public int vocabSize() {
        return vocabSize;
    }

    public Path file() {
        return file;
    }

    /**
     * Refuses a tokenizer that does not belong to the model: ids beyond its vocabulary, or a padding or
     * end token other than its config's (a BART tokenizer on a T5 model would run, and write nonsense).
     */
    public void checkFits(ModelConfig config) {
        String fix = ": use the checkpoint's own tokenizer";
        if (vocabSize > config.vocabSize()) {
            throw new UserError(file + ": the tokenizer has " + vocabSize + " token ids but " + config.source()
                    + " has vocab_size " + config.vocabSize() + fix);
        }
        if (specials.eos() != config.eosTokenId()) {
            throw new UserError(file + ": the tokenizer ends texts with id " + specials.eos() + " but " + config.source()
                    + " has eos_token_id " + config.eosTokenId() + fix);
        }
        if (specials.pad() != config.padTokenId()) {
            throw new UserError(file + ": the tokenizer's <pad> is id " + specials.pad() + " but " + config.source()
                    + " has pad_token_id " + config.padTokenId() + fix);
        }
    }

    /**
     * Encodes each text with the template's special tokens ({@code <s>}…{@code </s>} for BART). Texts
     * longer than {@code maxLength} tokens (special tokens included) lose tokens from the end of the
     * text, keeping the template's closing token; how many were cut is in the result.
     */
    public Encoded encode(List<String> texts, int maxLength) {
        return encode(texts, maxLength, false);
    }

    /**
     * As {@link #encode}, with the same ids and truncation count, but a long text is encoded only about
     * as far as it is kept ({@link PrefixCut}), so {@code longestBeforeTruncation} is only a lower
     * bound. For training batches, which do not report it.
     */
    public Encoded encodeKept(List<String> texts, int maxLength) {
        return encode(texts, maxLength, prefixCut);
    }

    private Encoded encode(List<String> texts, int maxLength, boolean cutFirst) {
        int minimum = templatePrefix + templateSuffix + 1;
        if (maxLength < minimum) {
            throw new UserError("maximum length " + maxLength + " leaves no room for text: use at least " + minimum);
        }
        int keepText = maxLength - templatePrefix - templateSuffix;
        List<String> inputs = new ArrayList<>(texts.size());
        boolean[] cut = new boolean[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            // one text token more than is kept: a prefix that long proves the text is truncated
            int at = cutFirst ? PrefixCut.at(texts.get(i), keepText + 1) : -1;
            cut[i] = at > 0;
            inputs.add(cut[i] ? texts.get(i).substring(0, at) : texts.get(i));
        }
        List<long[]> out = new ArrayList<>(texts.size());
        int truncated = 0;
        int longest = 0;
        if (!texts.isEmpty()) {
            List<long[]> encoded = ids(inputs);
            for (int i = 0; i < encoded.size(); i++) {
                long[] ids = encoded.get(i);
                // a prefix that came out within the limit says nothing about the whole text: encode it whole
                if (cut[i] && ids.length <= maxLength) ids = ids(List.of(texts.get(i))).get(0);
                longest = Math.max(longest, ids.length);
                if (ids.length > maxLength) {
                    ids = truncate(ids, maxLength);
                    truncated++;
                }
                out.add(ids);
            }
        }
        return new Encoded(out, maxLength, truncated, longest);
    }

    /**
     * Token ids (with special tokens) of each text. Straight from the native library: DJL's
     * {@code Encoding} also copies every token string, character span, word id and mask into Java for
     * each text, which made tokenising a training batch several times slower than the encoding itself.
     */
    private List<long[]> ids(List<String> texts) {
        long[] handles = TokenizersLibrary.LIB.batchEncode(hf.getHandle(), texts.toArray(String[]::new), true);
        List<long[]> out = new ArrayList<>(handles.length);
        try {
            for (long h : handles) out.add(TokenizersLibrary.LIB.getTokenIds(h));
        } finally {
            for (long h : handles) TokenizersLibrary.LIB.deleteEncoding(h);
        }
        return out;
    }

    /** Tokens of each text without the special tokens: what {@code format.SourceFitter} fits sources with. */
    @Override
    public int[] textTokens(List<String> texts) {
        int[] out = new int[texts.size()];
        if (texts.isEmpty()) return out;
        List<long[]> ids = ids(texts);
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i).length - templatePrefix - templateSuffix;
        return out;
    }

    @Override
    public int specialTokenCount() {
        return templatePrefix + templateSuffix;
    }

    /** True for the byte-level BPE tokenizers {@link PrefixCut} cuts: for the same reason, its parts add up. */
    @Override
    public boolean additive() {
        return prefixCut;
    }

    /** Text of {@code ids} with special tokens (start, BOS, EOS, padding, mask) left out. */
    public String decode(long[] ids) {
        return hf.decode(ids, true);
    }

    /** Keeps the template's leading and trailing special tokens and the first part of the text. */
    private long[] truncate(long[] ids, int maxLength) {
        int keepText = maxLength - templatePrefix - templateSuffix;
        long[] cut = new long[maxLength];
        System.arraycopy(ids, 0, cut, 0, templatePrefix + keepText);
        System.arraycopy(ids, ids.length - templateSuffix, cut, templatePrefix + keepText, templateSuffix);
        return cut;
    }

    @Override
    public void close() {
        hf.close();
    }

    private static int indexOf(long[] haystack, long[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    /** Ids of the added tokens, then of the model vocabulary (added tokens win, as in the library). */
    private static Map<String, Integer> tokenIds(Path file, JsonObject root) {
        Map<String, Integer> ids = new java.util.HashMap<>();
        JsonObject vocab = modelVocab(root);
        if (vocab != null) {
            for (String token : List.of("<pad>", "<unk>", "<mask>")) {
                JsonElement id = vocab.get(token);
                if (id != null && id.isJsonPrimitive()) ids.put(token, id.getAsInt());
            }
        }
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement t : added.getAsJsonArray()) {
                if (!t.isJsonObject() || !t.getAsJsonObject().has("content") || !t.getAsJsonObject().has("id")) {
                    throw new UserError(file + ": field \"added_tokens\": every entry needs \"content\" and \"id\", got " + t);
                }
                ids.put(t.getAsJsonObject().get("content").getAsString(), t.getAsJsonObject().get("id").getAsInt());
            }
        }
        return ids;
    }

    private static int required(Path file, Map<String, Integer> ids, String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new UserError(file + ": field \"added_tokens\": no " + token + " token (dialtune pads batches with it;"
                    + " use the checkpoint's own tokenizer.json)");
        }
        return id;
    }

    private static JsonObject modelVocab(JsonObject root) {
        JsonElement model = root.get("model");
        if (model == null || !model.isJsonObject()) return null;
        JsonElement vocab = model.getAsJsonObject().get("vocab");
        return vocab != null && vocab.isJsonObject() ? vocab.getAsJsonObject() : null;
    }
}
