package org.dialtune.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Hugging Face logits processors that {@code generate()} builds for BART, applied in HF's order:
 * no-repeat n-gram, minimum length, forced BOS at the first free position, forced EOS at the last.
 * Scores are {@code [rows, vocab]}: raw logits in greedy search, log-probabilities in beam search.
 */
final class ScoreRules {
    private final GenerationConfig cfg;

    ScoreRules(GenerationConfig cfg) {
        this.cfg = cfg;
    }

    /** Whether the step that produces position {@code curLen} must emit EOS (the length cap). */
    boolean forcesEos(int curLen) {
        return cfg.forcedEosTokenId() >= 0 && curLen == cfg.maxLength() - 1;
    }

    /**
     * Applies the rules for the step that produces position {@code curLen} ({@code seqs[r][0..curLen)}
     * are the tokens so far). May modify {@code scores} in place or return a new array (closed by
     * the caller's manager).
     */
    NDArray apply(NDArray scores, long[][] seqs, int curLen) {
        // A forced token replaces the whole row, so earlier rules would be overwritten anyway; when both
        // apply (max_length 2) HF runs ForcedEOS last, so EOS wins.
        if (forcesEos(curLen)) return forced(scores, cfg.forcedEosTokenId());
        if (cfg.forcedBosTokenId() >= 0 && curLen == 1) return forced(scores, cfg.forcedBosTokenId());
        int n = cfg.noRepeatNgramSize();
        if (n > 0 && curLen + 1 >= n) {
            for (int r = 0; r < seqs.length; r++) {
                for (long token : bannedNgramEndings(seqs[r], curLen, n)) {
                    scores.set(new NDIndex("{}, {}", r, token), Float.NEGATIVE_INFINITY);
                }
            }
        }
        if (curLen < cfg.minLength()) {
            scores.set(new NDIndex(":, {}", cfg.eosTokenId()), Float.NEGATIVE_INFINITY);
        }
        return scores;
    }

    /** Tokens that would complete an n-gram already present in {@code seq[0..curLen)}. */
    static long[] bannedNgramEndings(long[] seq, int curLen, int n) {
        List<Long> banned = new ArrayList<>();
        int prefixStart = curLen + 1 - n;
        for (int i = 0; i + n <= curLen; i++) {
            if (Arrays.equals(seq, i, i + n - 1, seq, prefixStart, curLen)) banned.add(seq[i + n - 1]);
        }
        return banned.stream().mapToLong(Long::longValue).toArray();
    }

    private static NDArray forced(NDArray scores, int token) {
        // created on the scores' manager, so it is freed with them
        NDArray out = scores.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY, scores.getDataType());
        out.set(new NDIndex(":, {}", token), 0f);
        return out;
    }
}
