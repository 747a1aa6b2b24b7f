package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dialtune.common.UserError;

/**
 * Rouge-L exactly as google-research's rouge_score computes {@code rougeL} and {@code rougeLsum}.
 *
 * <p>{@code rougeL}: LCS of the two token sequences, P = LCS/|prediction|, R = LCS/|reference|.
 * {@code rougeLsum}: texts split into sentences on newlines; for each reference sentence, the union of
 * the LCS token positions against every prediction sentence, each token counted at most as often as
 * it occurs on both sides (ROUGE 1.5.5's clipping). The LCS backtrack breaks ties the way
 * rouge_score's {@code _backtrack_norec} does, because which LCS is picked changes the union.
 */
public final class RougeL {
    private final RougeTokenizer tokenizer;
    private final boolean summaryLevel;

    public RougeL(boolean stem, boolean summaryLevel) {
        this.tokenizer = new RougeTokenizer(stem);
        this.summaryLevel = summaryLevel;
    }

    public boolean stems() {
        return tokenizer.stems();
    }

    public boolean summaryLevel() {
        return summaryLevel;
    }

    /** Score against one reference. */
    public RougeScore score(String reference, String prediction) {
        if (summaryLevel) return summaryLevelLcs(sentences(reference), sentences(prediction));
        return lcsScore(tokenizer.tokenize(reference), tokenizer.tokenize(prediction));
    }

    /** Several references: the score with the best F-measure, the first of equals (rouge_score's score_multi). */
    public RougeScore scoreBest(List<String> references, String prediction) {
        if (references.isEmpty()) throw new IllegalArgumentException("no reference to score against");
        RougeScore best = null;
        for (String ref : references) {
            RougeScore s = score(ref, prediction);
            if (best == null || s.fmeasure() > best.fmeasure()) best = s;
        }
        return best;
    }

    private List<List<String>> sentences(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) out.add(tokenizer.tokenize(line)); // lines that tokenise to nothing still count
        }
        return out;
    }

    static RougeScore lcsScore(List<String> ref, List<String> pred) {
        if (ref.isEmpty() || pred.isEmpty()) return RougeScore.ZERO;
        requireTractable(ref.size(), pred.size());
        int lcs = lcsLength(ref, pred);
        return RougeScore.of((double) lcs / pred.size(), (double) lcs / ref.size());
    }

    /**
     * Comparisons one LCS may take (|reference| × |prediction| tokens; a few seconds of work): past
     * this, a 5 MB text against another would run for hours, so it is refused instead.
     */
    static final long MAX_LCS_CELLS = 2_000_000_000L;

    private static void requireTractable(long refTokens, long predTokens) {
        if (refTokens * predTokens > MAX_LCS_CELLS) {
            throw new TooLongException(String.format(java.util.Locale.ROOT, "Rouge-L of a %,d-token reference and a %,d-token"
                    + " prediction needs %,d comparisons, more than the %,d allowed: shorten the texts (or, for"
                    + " rougeLsum, split them into sentences on newlines)", refTokens, predTokens,
                    refTokens * predTokens, MAX_LCS_CELLS));
        }
    }

    /** A pair of texts too long to score in bounded time; the message says why and what to do. */
    public static final class TooLongException extends UserError {
        TooLongException(String message) {
            super(message);
        }

        /** The same refusal, prefixed with where the texts came from. */
        public TooLongException at(String where) {
            return new TooLongException(where + ": " + getMessage());
        }
    }

    /** LCS length in memory linear in |can|: the DP keeps one row (the length needs no backtrack). */
    private static int lcsLength(List<String> ref, List<String> can) {
        int n = can.size();
        int[] row = new int[n + 1];
        for (String r : ref) {
            int diagonal = 0; // row[j - 1] of the previous row
            for (int j = 1; j <= n; j++) {
                int above = row[j];
                row[j] = r.equals(can.get(j - 1)) ? diagonal + 1 : Math.max(above, row[j - 1]);
                diagonal = above;
            }
        }
        return row[n];
    }

    /**
     * Positions in {@code ref} of one LCS with {@code can}, chosen as rouge_score's backtrack chooses:
     * from the end, take a match, else step left when the cell to the left is larger than the one
     * above, else step up. The choice needs the whole DP table, so the table is kept with one bit per
     * cell — whether a cell exceeds its left neighbour (it is 0 or 1 more) — and the two values the
     * rule compares are recovered from those bits while walking back: 1/32 of an int table.
     */
    static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int m = ref.size();
        int n = can.size();
        if (m == 0 || n == 0) return List.of();
        requireTractable(m, n);
        int words = (n >>> 6) + 1; // bits 1..n of each row
        long[] steps = new long[Math.toIntExact((long) (m + 1) * words)]; // row 0 (all zero) included
        int[] row = new int[n + 1];
        for (int i = 1; i <= m; i++) {
            String r = ref.get(i - 1);
            int diagonal = 0;
            int base = i * words;
            for (int j = 1; j <= n; j++) {
                int above = row[j];
                row[j] = r.equals(can.get(j - 1)) ? diagonal + 1 : Math.max(above, row[j - 1]);
                diagonal = above;
                if (row[j] > row[j - 1]) steps[base + (j >>> 6)] |= 1L << (j & 63);
            }
        }
        List<Integer> idx = new ArrayList<>();
        int i = m;
        int j = n;
        int here = row[n]; // t[i][j]
        int up = prefix(steps, words, i - 1, j); // t[i-1][j]
        while (i > 0 && j > 0) {
            int left = here - bit(steps, words, i, j); // t[i][j-1]
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                idx.add(i - 1);
                i--;
                j--;
                here--; // a match is one more than its diagonal
                up = i > 0 ? prefix(steps, words, i - 1, j) : 0;
            } else if (left > up) {
                up -= bit(steps, words, i - 1, j);
                j--;
                here = left;
            } else {
                i--;
                here = up;
                up = i > 0 ? prefix(steps, words, i - 1, j) : 0;
            }
        }
        java.util.Collections.reverse(idx);
        return idx;
    }

    /** Whether t[i][j] = t[i][j-1] + 1. */
    private static int bit(long[] steps, int words, int i, int j) {
        return (int) (steps[i * words + (j >>> 6)] >>> (j & 63)) & 1;
    }

    /** t[i][j]: the steps up to column j of row i. */
    private static int prefix(long[] steps, int words, int i, int j) {
        int base = i * words;
        int full = j >>> 6;
        int count = 0;
        for (int w = 0; w < full; w++) count += Long.bitCount(steps[base + w]);
        long last = steps[base + full] & (-1L >>> (63 - (j & 63))); // bits 0..j of the last word
        return count + Long.bitCount(last);
    }

    static RougeScore summaryLevelLcs(List<List<String>> refSents, List<List<String>> canSents) {
        if (refSents.isEmpty() || canSents.isEmpty()) return RougeScore.ZERO;
        int m = refSents.stream().mapToInt(List::size).sum();
        int n = canSents.stream().mapToInt(List::size).sum();
        if (m == 0 || n == 0) return RougeScore.ZERO;
        Map<String, Integer> refCounts = counts(refSents);
        Map<String, Integer> canCounts = counts(canSents);
        int hits = 0;
        for (List<String> r : refSents) {
            TreeSet<Integer> union = new TreeSet<>();
            for (List<String> c : canSents) union.addAll(lcsIndices(r, c));
            for (int pos : union) {
                String token = r.get(pos);
                if (canCounts.getOrDefault(token, 0) > 0 && refCounts.getOrDefault(token, 0) > 0) {
                    hits++;
                    canCounts.merge(token, -1, Integer::sum);
                    refCounts.merge(token, -1, Integer::sum);
                }
            }
        }
        return RougeScore.of((double) hits / n, (double) hits / m);
    }

    private static Map<String, Integer> counts(List<List<String>> sentences) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> s : sentences) {
            for (String t : s) counts.merge(t, 1, Integer::sum);
        }
        return counts;
    }
}
