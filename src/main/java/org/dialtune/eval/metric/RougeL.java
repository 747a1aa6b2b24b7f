package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
        int lcs = lcsTable(ref, pred)[ref.size()][pred.size()];
        return RougeScore.of((double) lcs / pred.size(), (double) lcs / ref.size());
    }

    private static int[][] lcsTable(List<String> ref, List<String> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = ref.get(i - 1).equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t;
    }

    /** Positions in {@code ref} of one LCS with {@code can}, chosen as rouge_score's backtrack chooses. */
    static List<Integer> lcsIndices(List<String> ref, List<String> can) {
        int[][] t = lcsTable(ref, can);
        List<Integer> idx = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                idx.add(0, i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return idx;
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
