package org.dialtune.format;

import java.util.List;

/**
 * Counts tokens the way the model's tokenizer does, so sources can be fitted to the model's budget
 * before it sees them ({@link SourceFitter}). {@code model.tokenizer.Seq2SeqTokenizer} provides it.
 *
 * <p>Fitting adds up the tokens of a source's parts, each part cut just before a space that follows a
 * non-space character: for byte-level BPE tokenizers without a normaliser (BART, RoBERTa, GPT-2) the
 * tokens of such parts add up exactly to the tokens of the whole ({@link #additive}), so parts that
 * repeat (an instruction, a task's option list) are counted once. Otherwise every source is also
 * counted whole. Either way the fitter counts every source it changed whole again.
 */
public interface TokenCounter {
    /** Tokens of each text encoded on its own, special tokens not counted. */
    int[] textTokens(List<String> texts);

    /** Special tokens the tokenizer puts around every source (BART's {@code <s>} … {@code </s>}: 2; T5's {@code </s>}: 1). */
    int specialTokenCount();

    /** Whether the tokens of a text cut before a space that follows a non-space character add up to the whole's. */
    default boolean additive() {
        return false;
    }
}
