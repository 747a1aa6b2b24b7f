package org.dialtune.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits sources into a token budget, in tokens of the model's tokenizer, so the model never loses the
 * end of a source (the question, the options, the turn to answer) to truncation. In this order, only
 * as far as needed:
 * <ol>
 *   <li>drop the oldest dialogue turns, keeping the last one;</li>
 *   <li>shorten grounding texts (knowledge, persona, document) from their end, the longest first
 *       (each gets an equal share of what is left, texts under their share stay whole), to whole words
 *       followed by {@code ...};</li>
 *   <li>cut the last turn from its start, keeping its speaker and at least its last word
 *       ({@code B: ... end of the turn});</li>
 *   <li>if even that does not fit (the instruction, utterance, question and options alone exceed the
 *       budget), the source is counted as over budget and keeps only the last turn and minimal grounding,
 *       so the tokenizer's cut from the end removes as little as possible.</li>
 * </ol>
 * The instruction (or task tag), utterance, response, question and options are never cut here.
 * Sources that fit are not touched; each source is tokenised once, and only those over the budget are
 * tokenised again in parts (see {@link TokenCounter} on why the parts add up) and checked whole after
 * fitting.
 */
public final class SourceFitter {
    private static final String MARKED = TextBudget.MARK;
    /** Re-plans with a tighter budget when a fitted source's whole count exceeds the sum of its parts. */
    private static final int CHECK_ROUNDS = 8;

    private final SourceBudget budget;
    /** Repeated parts remembered at most; more are forgotten all at once. */
    private static final int REMEMBERED = 4096;

    private final Map<String, Integer> constants = new HashMap<>();
    /** Costs of head and tail parts seen lately (they repeat across a task's examples). */
    private final Map<String, Integer> remembered = new HashMap<>();

    public SourceFitter(SourceBudget budget) {
        this.budget = budget;
    }

    public SourceBudget budget() {
        return budget;
    }

    /** Each source fitted to the budget, in order. */
    public List<SourceFit> fit(List<SourceParts> sources) {
        if (!budget.limited()) return sources.stream().map(p -> SourceFit.unchanged(p.render(), -1)).toList();
        TokenCounter counter = budget.counter();
        int specials = counter.specialTokenCount();
        int room = budget.maxTokens() - specials;
        SourceFit[] out = new SourceFit[sources.size()];
        List<Integer> over = new ArrayList<>();
        List<Costs> costs;
        if (counter.additive()) {
            List<Costs> all = costs(sources);
            costs = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                int n = all.get(i).total();
                if (n <= room) {
                    out[i] = SourceFit.unchanged(sources.get(i).render(), n + specials);
                } else {
                    over.add(i);
                    costs.add(all.get(i));
                }
            }
        } else {
            List<String> whole = sources.stream().map(SourceParts::render).toList();
            int[] n = counter.textTokens(whole);
            for (int i = 0; i < out.length; i++) {
                if (n[i] <= room) out[i] = SourceFit.unchanged(whole.get(i), n[i] + specials);
                else over.add(i);
            }
            costs = costs(over.stream().map(sources::get).toList());
        }
        if (over.isEmpty()) return Arrays.asList(out);
        int[] target = new int[over.size()];
        Arrays.fill(target, room);
        List<Integer> todo = new ArrayList<>();
        for (int j = 0; j < over.size(); j++) todo.add(j);
        for (int round = 0; !todo.isEmpty(); round++) {
            List<SourceFit> planned = new ArrayList<>();
            for (int j : todo) planned.add(plan(sources.get(over.get(j)), costs.get(j), target[j]));
            // what changed is counted whole; a source with nothing to take out keeps its count (when parts add up)
            int[] counted = new int[planned.size()];
            List<Integer> recount = new ArrayList<>();
            for (int k = 0; k < planned.size(); k++) {
                if (counter.additive() && !planned.get(k).shortened()) counted[k] = costs.get(todo.get(k)).total();
                else recount.add(k);
            }
            int[] whole = counter.textTokens(recount.stream().map(k -> planned.get(k).source()).toList());
            for (int r = 0; r < whole.length; r++) counted[recount.get(r)] = whole[r];
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < todo.size(); k++) {
                int j = todo.get(k);
                SourceFit f = planned.get(k);
                boolean fits = counted[k] <= room;
                if (!fits && !f.overBudget() && round + 1 < CHECK_ROUNDS) { // the parts undercounted: plan tighter
                    target[j] -= counted[k] - room;
                    again.add(j);
                    continue;
                }
                out[over.get(j)] = new SourceFit(f.source(), counted[k] + specials, f.turnsDropped(), f.groundingShortened(),
                        f.lastTurnCut(), !fits);
            }
            todo = again;
        }
        return Arrays.asList(out);
    }

    /** Token costs of a source's parts; each part but the head starts with the space before it. */
    private record Costs(int fixed, int[] grounding, int[] turns, int separator) {
        int total() {
            return fixed + Arrays.stream(grounding).sum() + Arrays.stream(turns).sum()
                    + separator * Math.max(0, turns.length - 1);
        }
    }

    /**
     * Costs of each source's parts, counted in one batch; the head and tail parts, which repeat across a
     * task's examples (instructions, option lists, fixed questions), are remembered and counted once.
     */
    private List<Costs> costs(List<SourceParts> sources) {
        List<String> pieces = new ArrayList<>();
        Map<String, Integer> known = new HashMap<>();
        List<String> fresh = new ArrayList<>();
        for (SourceParts p : sources) {
            for (SourceParts.Grounding g : p.grounding()) pieces.add(" " + g.marker() + " " + g.text());
            for (String t : p.turns()) pieces.add(" " + t);
            for (String x : fixedParts(p)) {
                if (known.containsKey(x)) continue;
                Integer c = remembered.get(x);
                known.put(x, c == null ? -1 : c);
                if (c == null) fresh.add(x);
            }
        }
        int first = pieces.size();
        pieces.addAll(fresh);
        int[] n = budget.counter().textTokens(pieces);
        if (remembered.size() + fresh.size() > REMEMBERED) remembered.clear();
        for (int k = 0; k < fresh.size(); k++) {
            known.put(fresh.get(k), n[first + k]);
            remembered.put(fresh.get(k), n[first + k]);
        }
        int separator = constant(ContextLinearizer.TURN_SEPARATOR.stripTrailing());
        List<Costs> out = new ArrayList<>(sources.size());
        int at = 0;
        for (SourceParts p : sources) {
            int[] g = Arrays.copyOfRange(n, at, at + p.grounding().size());
            at += g.length;
            int[] t = Arrays.copyOfRange(n, at, at + p.turns().size());
            at += t.length;
            int fixed = 0;
            for (String x : fixedParts(p)) fixed += known.get(x);
            if (!p.turns().isEmpty()) fixed += constant(" " + SourceParts.CONTEXT_MARKER);
            out.add(new Costs(fixed, g, t, separator));
        }
        return out;
    }

    /** The parts that are never cut: the head, and the tail sections with the space before each. */
    private static List<String> fixedParts(SourceParts p) {
        List<String> out = new ArrayList<>(p.tail().size() + 1);
        out.add(p.head());
        for (String x : p.tail()) out.add(" " + x);
        return out;
    }

    private SourceFit plan(SourceParts p, Costs c, int room) {
        int nt = p.turns().size();
        List<String> texts = p.grounding().stream().map(SourceParts.Grounding::text).toList();
        String last = nt == 0 ? null : p.turns().get(nt - 1);
        int eot = c.separator();
        int lastCost = nt == 0 ? 0 : c.turns()[nt - 1];
        int used = c.fixed() + Arrays.stream(c.grounding()).sum() + lastCost;
        // 1. the latest turns that fit
        int first = Math.max(0, nt - 1);
        while (first > 0 && used + c.turns()[first - 1] + eot <= room) {
            used += c.turns()[first - 1] + eot;
            first--;
        }
        if (used <= room) return new SourceFit(p.render(first, texts, last), -1, first, 0, false, false);
        int dropped = Math.max(0, nt - 1);
        // 2. grounding texts shortened to equal shares of what is left, the shortest kept whole
        int[] minimal = p.grounding().stream().mapToInt(g -> constant(" " + g.marker() + " " + MARKED)).toArray();
        int left = room - c.fixed() - lastCost;
        if (!texts.isEmpty() && Arrays.stream(minimal).sum() <= left) {
            List<String> kept = shareOut(p, c.grounding(), minimal, left);
            int shortened = 0;
            for (int i = 0; i < kept.size(); i++) if (!kept.get(i).equals(texts.get(i))) shortened++;
            return new SourceFit(p.render(nt == 0 ? 0 : nt - 1, kept, last), -1, dropped, shortened, false, false);
        }
        List<String> least = texts.stream().map(t -> MARKED).toList();
        int shortened = (int) texts.stream().filter(t -> !t.equals(MARKED)).count();
        int rest = left + lastCost - Arrays.stream(minimal).sum();
        // 3. the end of the last turn
        if (nt > 0) {
            String cut = keepEnd(last, p.lastTurnPrefix(), rest);
            if (cut != null) return new SourceFit(p.render(nt - 1, least, cut), -1, dropped, shortened, true, false);
        }
        // 4. over budget
        return new SourceFit(p.render(nt == 0 ? 0 : nt - 1, least, last), -1, dropped, shortened, false, true);
    }

    /** Grounding texts within {@code left} tokens: ascending by cost, each at most an equal share of what remains. */
    private List<String> shareOut(SourceParts p, int[] cost, int[] minimal, int left) {
        Integer[] order = new Integer[cost.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(cost[a], cost[b]));
        String[] kept = new String[cost.length];
        int remaining = left;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            int share = Math.max(minimal[i], remaining / (order.length - k));
            SourceParts.Grounding g = p.grounding().get(i);
            if (cost[i] <= share) {
                kept[i] = g.text();
                remaining -= cost[i];
            } else {
                kept[i] = keepStart(g, share);
                remaining -= share;
            }
        }
        return Arrays.asList(kept);
    }

    /** The most whole words from the start of a grounding text that fit {@code tokens}, then {@code ...}. */
    private String keepStart(SourceParts.Grounding g, int tokens) {
        String[] w = g.text().split(" ");
        int lo = 0; // always fits: the minimal text
        int hi = w.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (count(" " + g.marker() + " " + startText(w, mid)) <= tokens) lo = mid;
            else hi = mid - 1;
        }
        return startText(w, lo);
    }

    private static String startText(String[] w, int k) {
        return k == 0 ? MARKED : String.join(" ", Arrays.copyOfRange(w, 0, k)) + " " + MARKED;
    }

    /** The last turn cut from its start to fit {@code tokens} (speaker kept, at least one word), or null. */
    private String keepEnd(String turn, int prefix, int tokens) {
        String speaker = turn.substring(0, prefix);
        String[] w = turn.substring(prefix).split(" ");
        if (count(" " + endText(speaker, w, 1)) > tokens) return null;
        int lo = 1;
        int hi = w.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (count(" " + endText(speaker, w, mid)) <= tokens) lo = mid;
            else hi = mid - 1;
        }
        return endText(speaker, w, lo);
    }

    private static String endText(String speaker, String[] w, int k) {
        return speaker + MARKED + " " + String.join(" ", Arrays.copyOfRange(w, w.length - k, w.length));
    }

    private int count(String text) {
        return budget.counter().textTokens(List.of(text))[0];
    }

    /** Costs of the markers and separators, counted once. */
    private int constant(String piece) {
        return constants.computeIfAbsent(piece, this::count);
    }


}
