package org.dialtune.model.trim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merge loop of Hugging Face tokenizers' BPE (no dropout, no word prefixes or suffixes): start from
 * the characters, and repeatedly merge the adjacent pair of best (lowest) rank, the leftmost among equal
 * pairs, until no pair of the list is present.
 */
final class BpeMerges {
    private final Map<String, Map<String, Integer>> rank = new HashMap<>();

    /** {@code merges}: pairs in rank order (the order of {@code tokenizer.json}'s {@code model.merges}). */
    BpeMerges(List<String[]> merges) {
        for (int r = 0; r < merges.size(); r++) {
            rank.computeIfAbsent(merges.get(r)[0], k -> new HashMap<>()).putIfAbsent(merges.get(r)[1], r);
        }
    }

    /**
     * Every symbol encoding {@code word} on its own passes through: its characters, each merge's result,
     * in order. For a token the full tokenizer produced, these are what it needs to produce it again.
     */
    Set<String> passedThrough(String word) {
        List<String> symbols = new ArrayList<>();
        word.codePoints().forEach(c -> symbols.add(new String(Character.toChars(c))));
        Set<String> seen = new LinkedHashSet<>(symbols);
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Map<String, Integer> right = rank.get(symbols.get(i));
                Integer r = right == null ? null : right.get(symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) break;
            String merged = symbols.get(best) + symbols.remove(best + 1);
            symbols.set(best, merged);
            seen.add(merged);
        }
        return seen;
    }
}
