package org.dialtune.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dialtune.task.DialogueExample;
import org.dialtune.task.Fixtures;
import org.dialtune.task.LabelSet;
import org.dialtune.task.Task;
import org.dialtune.task.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatterTest {
    @TempDir Path dir;

    private Task classification(String template) {
        return Fixtures.parser().parse(new Fixtures(dir).task("toy", Fixtures.csvTask("toy",
                ", 'answer_template': '" + template + "'")));
    }

    private Task generation() {
        return Fixtures.parser().parse(new Fixtures(dir).task("gen", "{'name': 'gen', 'family': 'summarization',"
                + " 'type': 'generation', 'metric': 'rouge_l', 'dataset': 'd', 'license': 'x', 'reader': 'jsonl',"
                + " 'splits': {'test': 'd.jsonl'}, 'fields': {'context': 'c', 'target': 't'}}"));
    }

    private static DialogueExample example(List<Turn> context, Turn utterance, String target) {
        return new DialogueExample("ex-1", context, utterance, null, "Some\n  facts.", null, null, null, List.of(), target, "f:1");
    }

    private static final LabelSet LABELS = new LabelSet(List.of("card_arrival", "lost_card"),
            Map.of("card_arrival", "card arrival", "lost_card", "lost card"));

    @Test
    void classificationLayoutOptionsAndTemplatedTarget() {
        Task t = classification("The customer wants: {answer}");
        DialogueExample e = example(List.of(new Turn("A", "Hi"), new Turn(null, "Hello  there")),
                new Turn("A", "Where is my card?"), "card_arrival");
        Formatter.Formatted f = new Formatter(FormatterConfig.defaults()).format(t, LABELS, "test", e,
                new Instruction("i1", "Name the\nintent."));
        Seq2SeqExample s = f.example();
        assertEquals("Instruction: Name the intent.\nInput: [KNOWLEDGE] Some facts. [CONTEXT] A: Hi [EOT] Hello there "
                + "[UTTERANCE] A: Where is my card? [OPTIONS] card arrival || lost card", s.source());
        assertEquals("The customer wants: card arrival", s.target());
        assertEquals(List.of("The customer wants: card arrival", "The customer wants: lost card"), s.options());
        assertEquals("toy", s.task());
        assertEquals("test", s.split());
        assertEquals("ex-1", s.id());
        assertEquals("i1", s.instructionId());
        assertFalse(f.truncated());
    }

    @Test
    void withoutInstructionTheTaskTagTakesItsPlace() {
        Task t = generation();
        DialogueExample e = new DialogueExample("g", List.of(new Turn("B", "x")), null, null, null, null, null,
                "Why?", List.of(), "A summary.", "f:1");
        Seq2SeqExample s = new Formatter(FormatterConfig.defaults()).format(t, null, "test", e, null).example();
        assertEquals("Task: summarization\nInput: [CONTEXT] B: x [QUESTION] Why?", s.source());
        assertEquals("A summary.", s.target());
        assertEquals(List.of(), s.options());
        assertNull(s.instructionId());
    }

    @Test
    void leftTruncationKeepsTheLatestTurnsByCharacters() {
        List<Turn> turns = List.of(new Turn("A", "one two"), new Turn("B", "three"), new Turn("A", "four"));
        // "B: three [EOT] A: four" is 22 characters; adding "A: one two [EOT] " would exceed 25.
        ContextLinearizer.Result r = new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.CHARS, 25, 1000))
                .linearize(turns);
        assertEquals("B: three [EOT] A: four", r.text());
        assertTrue(r.truncated());
        assertEquals(1, r.turnsDropped());
        ContextLinearizer.Result all = new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.CHARS, 39, 1000))
                .linearize(turns);
        assertEquals("A: one two [EOT] B: three [EOT] A: four", all.text());
        assertFalse(all.truncated());
    }

    @Test
    void aSingleTooLongTurnKeepsItsEnd() {
        ContextLinearizer.Result r = new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.CHARS, 10, 1000))
                .linearize(List.of(new Turn("A", "abcdefghijklmnop")));
        assertEquals("... klmnop", r.text()); // exactly the 10-character budget, mark included
        assertTrue(r.truncated());
        ContextLinearizer.Result w = new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.WORDS, 3, 1000))
                .linearize(List.of(new Turn(null, "w1 w2 w3 w4 w5")));
        assertEquals("... w4 w5", w.text());
    }

    @Test
    void wordBudgetCountsWhitespaceSeparatedWords() {
        List<Turn> turns = List.of(new Turn("A", "a b c"), new Turn("B", "d e"));
        // "B: d e" = 3 words; with "A: a b c [EOT]" it is 8.
        assertEquals("B: d e", new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.WORDS, 7, 1000))
                .linearize(turns).text());
        assertEquals("A: a b c [EOT] B: d e", new ContextLinearizer(new FormatterConfig(FormatterConfig.BudgetUnit.WORDS, 8, 1000))
                .linearize(turns).text());
    }

    @Test
    void optionsFromTheDataAreShownAsGiven() {
        Task t = classification("{answer}");
        DialogueExample e = new DialogueExample("q", List.of(new Turn("W", "Hi")), null, null, null, null, null,
                "Who?", List.of("the woman", "the man"), "the man", "f:1");
        Seq2SeqExample s = new Formatter(FormatterConfig.defaults()).format(t, null, "dev", e, null).example();
        assertEquals("Task: intent classification\nInput: [CONTEXT] W: Hi [QUESTION] Who? [OPTIONS] the woman || the man",
                s.source());
        assertEquals("the man", s.target());
        assertEquals(List.of("the woman", "the man"), s.options());
    }

    @Test
    void instructionPolicies() {
        InstructionSet set = new InstructionSet("toy", List.of(new Instruction("a", "A."), new Instruction("b", "B."),
                new Instruction("c", "C.")), dir.resolve("toy.json"));
        assertNull(InstructionPolicy.off().choose(set, "train", "x"));
        assertEquals("b", InstructionPolicy.fixed("b").choose(set, "train", "x").id());
        InstructionPolicy p = InstructionPolicy.sampled(42);
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < 300; i++) {
            String id = p.choose(set, "train", "ex" + i).id();
            assertEquals(id, InstructionPolicy.sampled(42).choose(set, "train", "ex" + i).id(), "deterministic");
            counts.merge(id, 1, Integer::sum);
        }
        assertEquals(java.util.Set.of("a", "b", "c"), counts.keySet());
        counts.values().forEach(n -> assertTrue(n > 60, "roughly uniform: " + counts));
        long differ = java.util.stream.IntStream.range(0, 100).filter(i -> !p.choose(set, "train", "ex" + i).id()
                .equals(InstructionPolicy.sampled(43).choose(set, "train", "ex" + i).id())).count();
        assertTrue(differ > 30, "another seed gives other choices: " + differ);
    }

    @Test
    void groundingTextsKeepTheirBeginningWithinTheirBudget() {
        Task t = classification("{answer}");
        DialogueExample e = new DialogueExample("k", List.of(), new Turn(null, "ok?"), null,
                "one two three four five six", "short persona", null, null, List.of(), "card_arrival", "f:1");
        Formatter.Formatted f = new Formatter(new FormatterConfig(FormatterConfig.BudgetUnit.WORDS, 50, 4))
                .format(t, LABELS, "test", e, null);
        assertEquals("Task: intent classification\nInput: [KNOWLEDGE] one two three ... [PERSONA] short persona [UTTERANCE] ok? "
                + "[OPTIONS] card arrival || lost card", f.example().source());
        assertTrue(f.truncated());
        assertEquals("abcdef ...", new TextBudget(FormatterConfig.BudgetUnit.CHARS, 10).keepStart("abcdefghijklmnop"));
        assertEquals("short", new TextBudget(FormatterConfig.BudgetUnit.CHARS, 10).keepStart("short"));
    }
}
