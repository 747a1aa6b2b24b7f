package org.dialtune.task;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Seeded, order-independent choices: the same seed and ids always give the same result. */
public final class Sampling {
    private Sampling() {}

    /**
     * Keeps {@code n} examples chosen by a seeded hash of their ids, in their original order. Hashing ids
     * (rather than shuffling positions) keeps the choice stable when other rows are added or removed.
     */
    public static List<DialogueExample> sample(List<DialogueExample> all, int n, String seed) {
        List<Integer> idx = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) idx.add(i);
        idx.sort(Comparator.comparingLong((Integer i) -> hash(seed + "|" + all.get(i).id())).thenComparing(i -> i));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, n));
        chosen.sort(null);
        List<DialogueExample> out = new ArrayList<>(n);
        for (int i : chosen) out.add(all.get(i));
        return out;
    }

    /** 64-bit FNV-1a over UTF-8, then a final mix so nearby strings spread out. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
