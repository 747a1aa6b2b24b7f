package org.dialtune.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.cli.DialtuneModules;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.task.Task;
import org.dialtune.task.TaskData;
import org.dialtune.task.TaskFileParser;
import org.dialtune.task.TaskRegistry;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every committed task's test split (../shared/datasets) fitted with BART's tokenizer: nothing the
 * model needs is lost, and without instructions no two tasks read the same source. To stay fast the
 * fitting is checked on each task's {@value #LONGEST} longest sources (with a sampled instruction) —
 * the ones fitting is about; tasks without a test split are left out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSourceFitTest {
    static final int LONGEST = 150;

    private TaskRegistry tasks;
    private InstructionLibrary instructions;
    private final Map<String, TaskData> data = new LinkedHashMap<>();

    @BeforeAll
    void load() {
        Path datasets = SharedData.require("datasets");
        Injector injector = Guice.createInjector(DialtuneModules.all());
        tasks = TaskRegistry.load(List.of(Path.of("tasks")), injector.getInstance(TaskFileParser.class)).requireValid();
        instructions = InstructionLibrary.load(List.of(Path.of("instructions")),
                tasks.tasks().stream().map(Task::name).toList()).requireValid();
        for (Task t : tasks.tasks()) {
            if (t.splits().containsKey("test")) data.put(t.name(), TaskData.load(t, datasets, List.of("test")));
        }
    }

    private List<Formatter.Formatted> formatted(String task, InstructionPolicy policy) {
        return new TaskConverter(FormatterConfig.defaults(), policy)
                .formatAll(data.get(task), "test", instructions.forTask(task));
    }

    @Test
    void atTwoHundredFiftySixAndFiveHundredTwelveTokensNoSourceLosesItsQuestionOptionsOrLastTurn() {
        try (Seq2SeqTokenizer bart = Seq2SeqTokenizer.load(Path.of("eval/demo/bart-tokenizer"))) {
            Map<Integer, FitCounts> totals = new HashMap<>();
            for (String task : data.keySet()) {
                List<Formatter.Formatted> longest = new ArrayList<>(formatted(task, InstructionPolicy.sampled(0)));
                longest.sort(Comparator.comparingInt((Formatter.Formatted f) -> -f.example().source().length()));
                longest = longest.subList(0, Math.min(LONGEST, longest.size()));
                for (int budget : new int[] {256, 512}) {
                    List<SourceFit> fits = new SourceFitter(new SourceBudget(bart, budget))
                            .fit(longest.stream().map(Formatter.Formatted::parts).toList());
                    for (int i = 0; i < fits.size(); i++) check(bart, task, budget, longest.get(i).parts(), fits.get(i));
                    FitCounts c = FitCounts.none(budget);
                    for (SourceFit f : fits) c = c.plus(f);
                    totals.merge(budget, c, FitCounts::plus);
                    if (c.shortened() + c.overBudget() > 0) System.out.println(task + " (" + fits.size() + " longest): " + c.describe());
                }
            }
            System.out.println("all tasks, 256: " + totals.get(256).describe());
            System.out.println("all tasks, 512: " + totals.get(512).describe());
            assertTrue(totals.get(512).shortened() > 500, "fitting mattered at 512 tokens: " + totals.get(512).describe());
        }
    }

    /** The fitted source has everything the model needs and fits, or it could not have fitted at all. */
    private static void check(Seq2SeqTokenizer bart, String task, int budget, SourceParts p, SourceFit f) {
        String s = f.source();
        String where = task + " @" + budget + ": " + s;
        int tokens = bart.encode(List.of(s), Integer.MAX_VALUE).ids().get(0).length;
        assertEquals(tokens, f.tokens(), where);
        assertTrue(s.startsWith(p.head() + " "), "instruction kept: " + where);
        String tail = p.tail().isEmpty() ? "" : " " + String.join(" ", p.tail());
        assertTrue(s.endsWith(tail), "utterance, response, question and options kept: " + where);
        if (!p.turns().isEmpty()) {
            String last = p.turns().get(p.turns().size() - 1);
            if (f.lastTurnCut()) {
                String[] words = last.split(" ");
                assertTrue(s.endsWith(" " + words[words.length - 1] + tail), "end of the last turn kept: " + where);
            } else {
                assertTrue(s.endsWith(" " + last + tail), "last turn kept: " + where);
            }
        }
        if (!f.overBudget()) {
            assertTrue(tokens <= budget, where + " has " + tokens + " tokens");
        } else {
            // over budget only when even the least that may be kept is too long
            List<String> least = p.grounding().stream().map(g -> TextBudget.MARK).toList();
            String lastTurn = null;
            if (!p.turns().isEmpty()) {
                String t = p.turns().get(p.turns().size() - 1);
                lastTurn = t.substring(0, p.lastTurnPrefix()) + TextBudget.MARK + " " + t.substring(t.lastIndexOf(' ') + 1);
            }
            String minimal = p.render(Math.max(0, p.turns().size() - 1), least, lastTurn);
            assertTrue(bart.encode(List.of(minimal), Integer.MAX_VALUE).ids().get(0).length > budget,
                    "counted over budget though it could fit: " + where);
        }
    }

    /**
     * Tasks on one dataset (the same dialogues) never share a source. Across datasets a short dialogue can
     * coincide ("A: Hello"): allowed only between tasks of one family, which are the same kind of task.
     */
    @Test
    void withoutInstructionsNoTwoTasksReadTheSameSourceAndTheTagSaysWhichTaskItIs() {
        Map<String, String> firstTaskOf = new HashMap<>();
        for (String task : data.keySet()) {
            Task t = tasks.get(task);
            Set<String> own = new HashSet<>();
            for (Formatter.Formatted f : formatted(task, InstructionPolicy.off())) {
                String s = f.example().source();
                assertTrue(s.startsWith("Task: " + t.tag() + "\nInput: "), s);
                if (!own.add(s)) continue; // one task may repeat a source (e.g. one question asked twice)
                String other = firstTaskOf.putIfAbsent(s, task);
                if (other == null) continue;
                Task o = tasks.get(other);
                assertTrue(!o.dataset().equals(t.dataset()) && o.family().equals(t.family()),
                        task + " and " + other + " both read: " + s);
            }
        }
        // the pair the issue found identical: the same 500 dialogues, told apart by their tag
        List<Formatter.Formatted> sums = formatted("dialogsum-summarization", InstructionPolicy.off());
        List<Formatter.Formatted> topics = formatted("dialogsum-topic", InstructionPolicy.off());
        assertEquals(500, sums.size());
        assertEquals(sums.size(), topics.size());
        for (int i = 0; i < sums.size(); i++) {
            String a = sums.get(i).example().source();
            String b = topics.get(i).example().source();
            assertTrue(a.startsWith("Task: summarization\nInput: "), a);
            assertTrue(b.startsWith("Task: topic generation\nInput: "), b);
            assertEquals(a.substring(a.indexOf('\n')), b.substring(b.indexOf('\n')), "same dialogue");
            assertFalse(a.equals(b));
        }
    }
}
