package org.dialtune.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fitting order on hand-made sources, with a tokenizer that counts words. */
class SourceFitterTest {
    /** One token per whitespace-separated word, {@code <s>}/{@code </s>} around; parts cut before a space add up. */
    static final class WordCounter implements TokenCounter {
        private final boolean additive;

        WordCounter(boolean additive) {
            this.additive = additive;
        }

        @Override
        public int[] textTokens(List<String> texts) {
            return texts.stream().mapToInt(SourceFitterTest::words).toArray();
        }

        @Override
        public int specialTokenCount() {
            return 2;
        }

        @Override
        public boolean additive() {
            return additive;
        }
    }

    /** Not additive: one extra token per 10 words of a text, so parts undercount the whole. */
    static final class LumpyCounter implements TokenCounter {
        @Override
        public int[] textTokens(List<String> texts) {
            return texts.stream().mapToInt(t -> words(t) + words(t) / 10).toArray();
        }

        @Override
        public int specialTokenCount() {
            return 2;
        }
    }

    static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static final String HEAD = "Instruction: Answer.\nInput:";
    private static final List<String> TAIL = List.of("[QUESTION] why now?", "[OPTIONS] yes || no");

    /** 38 words + 2 special tokens = 40 tokens. */
    private static SourceParts parts(String lastTurn) {
        return new SourceParts(HEAD,
                List.of(new SourceParts.Grounding("[KNOWLEDGE]", "k1 k2 k3 k4 k5 k6 k7 k8"),
                        new SourceParts.Grounding("[PERSONA]", "p1 p2")),
                List.of("A: t1 t1", "B: t2 t2", "A: t3 t3", lastTurn), 3, TAIL);
    }

    private static SourceFit fit(SourceParts p, int budget, TokenCounter counter) {
        return new SourceFitter(new SourceBudget(counter, budget)).fit(List.of(p)).get(0);
    }

    private static SourceFit fit(SourceParts p, int budget) {
        return fit(p, budget, new WordCounter(true));
    }

    @Test
    void aSourceWithinTheBudgetIsUntouched() {
        SourceParts p = parts("B: last one");
        SourceFit f = fit(p, 40);
        assertEquals(p.render(), f.source());
        assertEquals(40, f.tokens());
        assertFalse(f.shortened());
        assertFalse(f.overBudget());
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] k1 k2 k3 k4 k5 k6 k7 k8 [PERSONA] p1 p2 [CONTEXT] A: t1 t1 [EOT]"
                + " B: t2 t2 [EOT] A: t3 t3 [EOT] B: last one [QUESTION] why now? [OPTIONS] yes || no", f.source());
    }

    @Test
    void theOldestTurnsGoFirst() {
        SourceFit f = fit(parts("B: last one"), 36);
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] k1 k2 k3 k4 k5 k6 k7 k8 [PERSONA] p1 p2 [CONTEXT] B: t2 t2"
                + " [EOT] A: t3 t3 [EOT] B: last one [QUESTION] why now? [OPTIONS] yes || no", f.source());
        assertEquals(36, f.tokens());
        assertEquals(1, f.turnsDropped());
        assertEquals(0, f.groundingShortened());
        // one token short of keeping a second turn: only the last one stays, grounding still whole
        SourceFit g = fit(parts("B: last one"), 31);
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] k1 k2 k3 k4 k5 k6 k7 k8 [PERSONA] p1 p2 [CONTEXT] B: last one"
                + " [QUESTION] why now? [OPTIONS] yes || no", g.source());
        assertEquals(3, g.turnsDropped());
        assertEquals(28, g.tokens());
    }

    @Test
    void thenTheLongestGroundingTextIsShortenedFromItsEnd() {
        // 22 tokens of text: 11 fixed, 3 for the last turn, 8 for grounding; the persona (3) is under its
        // share (4) and stays whole, the knowledge gets the remaining 5
        SourceFit f = fit(parts("B: last one"), 24);
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] k1 k2 k3 ... [PERSONA] p1 p2 [CONTEXT] B: last one"
                + " [QUESTION] why now? [OPTIONS] yes || no", f.source());
        assertEquals(24, f.tokens());
        assertEquals(3, f.turnsDropped());
        assertEquals(1, f.groundingShortened());
        assertFalse(f.lastTurnCut());
    }

    @Test
    void thenTheLastTurnLosesItsStartButKeepsItsSpeaker() {
        SourceFit f = fit(parts("B: w1 w2 w3 w4 w5 w6"), 21);
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] ... [PERSONA] ... [CONTEXT] B: ... w5 w6"
                + " [QUESTION] why now? [OPTIONS] yes || no", f.source());
        assertEquals(21, f.tokens());
        assertTrue(f.lastTurnCut());
        assertEquals(2, f.groundingShortened());
        assertFalse(f.overBudget());
    }

    @Test
    void whatCannotFitIsCountedOverBudgetAndKeepsTheInstructionLastTurnQuestionAndOptions() {
        SourceFit f = fit(parts("B: w1 w2 w3 w4 w5 w6"), 15);
        assertTrue(f.overBudget());
        assertEquals("Instruction: Answer.\nInput: [KNOWLEDGE] ... [PERSONA] ... [CONTEXT] B: w1 w2 w3 w4 w5 w6"
                + " [QUESTION] why now? [OPTIONS] yes || no", f.source());
        assertEquals(24, f.tokens(), "the tokens it still has, for the report");
        FitCounts c = FitCounts.none(15).plus(f).plus(fit(parts("B: x"), 40));
        assertEquals(2, c.sources());
        assertEquals(1, c.overBudget());
        assertEquals(1, c.shortened());
        assertEquals(3, c.turnsDropped());
        assertEquals(2, c.groundingShortened());
    }

    @Test
    void sourcesWithoutTurnsOrGroundingAreLeftAsTheyAre() {
        SourceParts p = new SourceParts("Task: intent classification\nInput:", List.of(), List.of(), 0,
                List.of("[UTTERANCE] where is my card?", "[OPTIONS] a || b || c || d || e"));
        SourceFit f = fit(p, 10);
        assertTrue(f.overBudget());
        assertEquals(p.render(), f.source());
        assertEquals(0, f.turnsDropped());
        assertTrue(fit(p, 20).overBudget());
        assertFalse(fit(p, 21).overBudget());
    }

    @Test
    void aTokenizerWhosePartsDoNotAddUpStillGetsSourcesWithinTheBudget() {
        Random r = new Random(7);
        List<SourceParts> sources = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> turns = new ArrayList<>();
            int n = 1 + r.nextInt(12);
            for (int t = 0; t < n; t++) turns.add((t % 2 == 0 ? "A: " : "B: ") + text(r, 1 + r.nextInt(30)));
            sources.add(new SourceParts(HEAD, List.of(new SourceParts.Grounding("[PERSONA]", text(r, 1 + r.nextInt(80)))),
                    turns, 3, TAIL));
        }
        for (TokenCounter counter : List.of(new LumpyCounter(), new WordCounter(false), new WordCounter(true))) {
            List<SourceFit> fits = new SourceFitter(new SourceBudget(counter, 60)).fit(sources);
            int shortened = 0;
            for (int i = 0; i < fits.size(); i++) {
                SourceFit f = fits.get(i);
                int whole = counter.textTokens(List.of(f.source()))[0] + 2;
                assertEquals(whole, f.tokens(), "reported tokens are the source's");
                assertTrue(f.overBudget() || whole <= 60, f.source() + ": " + whole);
                assertFalse(f.overBudget(), "every one fits once turns and persona are cut: " + f.source());
                assertTrue(f.source().startsWith(HEAD + " [PERSONA] "));
                assertTrue(f.source().endsWith(" [QUESTION] why now? [OPTIONS] yes || no"));
                List<String> turns = sources.get(i).turns();
                if (!f.lastTurnCut()) assertTrue(f.source().contains("[CONTEXT] ") && f.source().contains(turns.get(turns.size() - 1)));
                if (f.shortened()) shortened++;
            }
            assertTrue(shortened > 50, "the budget made fitting matter: " + shortened);
        }
    }

    private static String text(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) sb.append(i == 0 ? "" : " ").append("w").append(r.nextInt(100));
        return sb.toString();
    }
}
