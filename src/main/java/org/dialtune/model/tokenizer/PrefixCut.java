package org.dialtune.model.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Where a long text can be cut before tokenising without changing its first tokens.
 *
 * <p>A byte-level BPE tokenizer without a normaliser (GPT-2, RoBERTa, BART) splits the text with its
 * regex into pieces — runs of letters, digits or symbols, each with at most one leading space, and
 * whitespace runs — and encodes each piece on its own. Cut just before a space that follows a
 * non-space character, every piece before the cut is exactly a piece of the whole text, so the prefix's
 * tokens are the whole text's first tokens. Training truncates most long dialogue contexts to a few
 * hundred tokens; tokenising only what is kept made batch preparation on DialogSum about twice as fast.
 * Only tokenizers whose {@code tokenizer.json} matches that description are cut; others are always
 * encoded whole.
 */
final class PrefixCut {
    /** Characters of text kept per token wanted: BPE tokens of dialogue text average about 4 characters. */
    static final int CHARS_PER_TOKEN = 6;

    private PrefixCut() {}

    /** Whether {@code root} (a tokenizer.json) is a byte-level BPE tokenizer as described above. */
    static boolean applies(JsonObject root) {
        JsonElement normalizer = root.get("normalizer");
        if (normalizer != null && !normalizer.isJsonNull()) return false;
        JsonElement pre = root.get("pre_tokenizer");
        if (pre == null || !pre.isJsonObject()) return false;
        JsonObject p = pre.getAsJsonObject();
        boolean byteLevel = p.has("type") && "ByteLevel".equals(p.get("type").getAsString());
        boolean regex = !p.has("use_regex") || p.get("use_regex").getAsBoolean();
        boolean noPrefixSpace = !p.has("add_prefix_space") || !p.get("add_prefix_space").getAsBoolean();
        if (!byteLevel || !regex || !noPrefixSpace) return false;
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement a : added.getAsJsonArray()) {
                String content = a.getAsJsonObject().get("content").getAsString();
                if (!content.equals(content.strip()) || content.chars().anyMatch(Character::isWhitespace)) return false;
            }
        }
        return true;
    }

    /**
     * A cut position for keeping about {@code tokens} tokens of {@code text}: the last space at or
     * before {@code tokens × CHARS_PER_TOKEN} that follows a non-space character, or -1 when the text
     * is short enough to encode whole (or has no such space).
     */
    static int at(String text, int tokens) {
        long budget = (long) tokens * CHARS_PER_TOKEN; // a model without a position limit asks for up to 2^31 tokens
        if (text.length() <= budget) return -1;
        for (int i = (int) budget; i > 0; i--) {
            if (text.charAt(i) == ' ' && !Character.isWhitespace(text.charAt(i - 1))) return i;
        }
        return -1;
    }
}
