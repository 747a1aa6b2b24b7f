package org.dialtune.eval.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.StatsConfig;
import org.dialtune.eval.stats.Interval;
import org.junit.jupiter.api.Test;

class InstructionAnalysisTest {
    static final StatsConfig CONFIG = new StatsConfig(2000, 5, 0.95);

    static final List<Wording> WORDINGS = List.of(
            new Wording("a-task", "w1", "Which intent is it?"),                                         // question, 4 words
            new Wording("a-task", "w2", "Classify the intent."),                                        // 3 words
            new Wording("a-task", "w3", "Pick one of the options and answer with its label exactly."),  // options, format, 11
            new Wording("b-task", "w1", "Is this safe?"),                                               // question, 3
            new Wording("b-task", "w2", "Choose one of the options for this message."),                 // options, 8
            new Wording("b-task", "w3", "Decide."));                                                    // 1

    static ResultRow row(String model, String task, String wording, long seed, double value) {
        return new ResultRow("c" + seed, model, "in-domain", "split1", 0, seed, "on", task, wording, "accuracy", value, 40, 1, "abc");
    }

    /** a-task means: w1 0.6, w2 0.3, w3 0.9; b-task: w1 0.1, w2 0.4, w3 0.2. */
    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        double[][] a = {{0.5, 0.6, 0.7}, {0.3, 0.3, 0.3}, {0.8, 0.9, 1.0}};
        double[][] b = {{0.1, 0.1, 0.1}, {0.3, 0.4, 0.5}, {0.2, 0.2, 0.2}};
        for (int w = 0; w < 3; w++) {
            for (int s = 0; s < 3; s++) {
                rows.add(row("bart-base", "a-task", "w" + (w + 1), s + 1, a[w][s]));
                rows.add(row("bart-base", "b-task", "w" + (w + 1), s + 1, b[w][s]));
            }
        }
        rows.add(row("bart-base", "a-task", "sampled", 1, 0.99));
        rows.add(row("bart-base", "a-task", "none", 1, 0.01));
        return rows;
    }

    @Test
    void ranksWordingsWithCisAndSpread() {
        InstructionAnalysis.Result r = InstructionAnalysis.analyze(rows(), WORDINGS, CONFIG);
        assertEquals(2, r.ignoredRows());
        assertEquals(2, r.rankings().size());
        TaskRanking a = r.rankings().get(0);
        assertEquals("a-task", a.context().task());
        assertEquals(List.of("w3", "w1", "w2"), a.wordings().stream().map(w -> w.wording().id()).toList());
        assertEquals(List.of(1, 2, 3), a.wordings().stream().map(WordingScore::rank).toList());
        assertEquals(0.9, a.wordings().get(0).seeds().mean(), 1e-12);
        assertEquals(0.6, a.wordings().get(1).seeds().mean(), 1e-12);
        assertEquals(0.9 - 0.3, a.spread(), 1e-12);
        Interval ci = a.wordings().get(1).interval();
        // Student-t over 3 seeds: scipy.stats.t.interval(0.95, 2, loc=0.6, scale=sem([0.5, 0.6, 0.7]))
        assertEquals(0.35158622882496704, ci.low(), 1e-9);
        assertEquals(0.8484137711750329, ci.high(), 1e-9);
        assertEquals(3, ci.n());
        assertEquals(0.3, a.wordings().get(2).interval().low(), 1e-12, "constant scores: a point interval");
        assertEquals(new WordingFeatures(11, false, true, true), a.wordings().get(0).features());
        TaskRanking b = r.rankings().get(1);
        assertEquals(List.of("w2", "w3", "w1"), b.wordings().stream().map(w -> w.wording().id()).toList());
        assertEquals(0.4 - 0.1, b.spread(), 1e-12);
        assertFalse(r.severalConditions());
        assertEquals("a-task", a.context().label(r.severalConditions()));
    }

    @Test
    void featureEffectsAreWithinTaskDifferencesAveragedOverTasks() {
        InstructionAnalysis.Result r = InstructionAnalysis.analyze(rows(), WORDINGS, CONFIG);
        FeatureEffect question = r.effects().get(0);
        assertEquals("question (vs imperative)", question.feature());
        // a: 0.6 − mean(0.3, 0.9) = 0; b: 0.1 − mean(0.4, 0.2) = −0.2
        assertEquals(List.of(0.0, -0.2), question.tasks().stream().map(t -> round(t.difference())).toList());
        assertEquals(-0.1, question.mean(), 1e-12);
        // Student-t over 2 tasks (t(1) = 12.706): scipy.stats.t.interval(0.95, 1, loc=-0.1, scale=sem([0, -0.2]))
        assertEquals(-1.3706204736174696, question.interval().low(), 1e-9);
        assertEquals(1.1706204736174695, question.interval().high(), 1e-9);
        assertEquals(2, question.interval().n());

        FeatureEffect options = r.effects().get(1);
        // a: 0.9 − mean(0.6, 0.3) = 0.45; b: 0.4 − mean(0.1, 0.2) = 0.25
        assertEquals(0.35, options.mean(), 1e-12);
        assertEquals(1, options.tasks().get(0).withFeature());
        assertEquals(2, options.tasks().get(0).withoutFeature());

        FeatureEffect format = r.effects().get(2);
        // only a-task has a wording that states the answer's form
        assertEquals(1, format.tasks().size());
        assertEquals(1, format.tasksWithoutContrast());
        assertEquals(0.45, format.mean(), 1e-12);
        assertNull(format.interval(), "one task: no interval over tasks");

        LengthCorrelation length = r.length();
        // a: words 4, 3, 11 vs 0.6, 0.3, 0.9: same order, rho 1; b: words 3, 8, 1 vs 0.1, 0.4, 0.2: 1 − 6·2/24 = 0.5
        assertEquals(1.0, length.tasks().get(0).rho(), 1e-12);
        assertEquals(0.5, length.tasks().get(1).rho(), 1e-12);
        assertEquals(0.75, length.mean(), 1e-12);
        assertEquals(0, length.tasksSkipped());
    }

    @Test
    void spearmanAveragesTiedRanksAsScipyDoes() {
        List<Wording> ws = List.of(new Wording("t", "a", "Do it."), new Wording("t", "b", "Go now."),
                new Wording("t", "c", "Please do this task now."));
        List<ResultRow> rows = List.of(row("m", "t", "a", 1, 0.1), row("m", "t", "b", 1, 0.2), row("m", "t", "c", 1, 0.3));
        LengthCorrelation length = InstructionAnalysis.analyze(rows, ws, CONFIG).length();
        // scipy.stats.spearmanr([2, 2, 5], [0.1, 0.2, 0.3]).statistic == 0.8660254037844387
        assertEquals(0.8660254037844387, length.tasks().get(0).rho(), 1e-12);
        assertNull(length.interval());
        // all wordings of one length: no correlation, counted as skipped
        List<ResultRow> flat = List.of(row("m", "t", "a", 1, 0.1), row("m", "t", "b", 1, 0.2));
        LengthCorrelation none = InstructionAnalysis.analyze(flat, ws, CONFIG).length();
        assertTrue(none.tasks().isEmpty());
        assertEquals(1, none.tasksSkipped());
        assertTrue(Double.isNaN(none.mean()));
    }

    @Test
    void eachConditionIsRankedOnItsOwn() {
        List<ResultRow> rows = new ArrayList<>(rows());
        rows.add(row("bart-large", "a-task", "w1", 1, 0.2));
        rows.add(row("bart-large", "a-task", "w2", 1, 0.7));
        InstructionAnalysis.Result r = InstructionAnalysis.analyze(rows, WORDINGS, CONFIG);
        assertEquals(3, r.rankings().size());
        assertTrue(r.severalConditions());
        TaskRanking large = r.rankings().stream().filter(t -> t.context().model().equals("bart-large")).findFirst().orElseThrow();
        assertEquals(List.of("w2", "w1"), large.wordings().stream().map(w -> w.wording().id()).toList());
        assertNull(large.wordings().get(0).interval(), "one seed: no interval");
        assertEquals("a-task (bart-large · in-domain · split1 · 0-shot)", large.context().label(true));
    }

    @Test
    void unknownWordingsAndResultsWithoutWordingsAreUserErrors() {
        List<ResultRow> rows = new ArrayList<>(rows());
        rows.add(row("bart-base", "a-task", "w9", 1, 0.2));
        UserError e = assertThrows(UserError.class, () -> InstructionAnalysis.analyze(rows, WORDINGS, CONFIG));
        assertEquals("task \"a-task\": results name instruction \"w9\", which its instruction file does not have "
                + "(analyse with the instruction files that were evaluated)", e.getMessage());
        UserError none = assertThrows(UserError.class, () -> InstructionAnalysis.analyze(
                List.of(row("m", "a-task", "sampled", 1, 0.5)), WORDINGS, CONFIG));
        assertTrue(none.getMessage().startsWith("no result row scored a single instruction wording"), none.getMessage());
    }

    private static double round(double x) {
        return Math.round(x * 1e9) / 1e9;
    }
}
