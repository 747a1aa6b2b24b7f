package org.dialtune.model.generate;

/**
 * One generated sequence as Hugging Face {@code generate()} returns it: the decoder start token first,
 * the EOS last when there is one, no padding. {@code score} is the beam search sequence score
 * (sum of log-probabilities / length^length_penalty) and NaN for greedy search.
 */
public record Generated(long[] tokens, double score, StopReason stop) {
    /** Tokens after the decoder start token (what {@code max_new_tokens} counts). */
    public int newTokens() {
        return tokens.length - 1;
    }
}
