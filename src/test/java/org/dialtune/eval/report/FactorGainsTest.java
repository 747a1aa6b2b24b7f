package org.dialtune.eval.report;

import static org.dialtune.eval.report.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.stats.Bootstrap;
import org.dialtune.eval.stats.BootstrapConfig;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.PairedComparison;
import org.junit.jupiter.api.Test;

class FactorGainsTest {
    private static final BootstrapConfig CONFIG = new BootstrapConfig(2000, 7, 0.95);
    private static final double EPS = 1e-12;

    /** Task A gains 0.1, 0.2, 0.3 from in-domain MTL over seeds 1..3; task B loses 0.25 on every seed. */
    private static List<ResultRow> inDomainGrid() {
        List<ResultRow> rows = new ArrayList<>();
        double[] aWithout = {0.2, 0.4, 0.3};
        double[] aWith = {0.3, 0.6, 0.6};
        for (int s = 0; s < 3; s++) {
            rows.add(row("none", 0, "off", s + 1, "a-task", aWithout[s]));
            rows.add(row("in-domain", 0, "off", s + 1, "a-task", aWith[s]));
            rows.add(row("none", 0, "off", s + 1, "b-task", 0.5));
            rows.add(row("in-domain", 0, "off", s + 1, "b-task", 0.25));
        }
        return rows;
    }

    @Test
    void inDomainGainPerTaskAndOverallMatchHandComputedValues() {
        FactorGain g = FactorGains.of(inDomainGrid(), Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        assertEquals(2, g.tasks().size());

        TaskGain a = g.tasks().get(0);
        assertEquals("a-task", a.task());
        PairedComparison ca = a.comparison();
        assertEquals(3, ca.n());
        assertEquals(0.3, ca.meanA(), EPS);
        assertEquals(0.5, ca.meanB(), EPS);
        assertEquals(0.2, ca.meanDifference(), EPS);
        // all three differences positive: 2 of the 8 sign patterns are as extreme
        assertEquals(0.25, ca.pValue(), EPS);
        assertEquals(100 * 0.2 / 0.3, a.relativePercent(), 1e-9);
        // pairs are in seed order, so the CI is the bootstrap of exactly these differences
        Rows.assertClose(Bootstrap.meanInterval(new double[] {0.3 - 0.2, 0.6 - 0.4, 0.6 - 0.3}, CONFIG), ca.differenceInterval());

        TaskGain b = g.tasks().get(1);
        assertEquals(-0.25, b.comparison().meanDifference(), EPS);
        assertEquals(-50.0, b.relativePercent(), 1e-9);
        Rows.assertClose(new Interval(-0.25, -0.25, 0.95), b.comparison().differenceInterval());

        PairedComparison all = g.overall();
        assertEquals(6, all.n());
        assertEquals((0.1 + 0.2 + 0.3 - 0.75) / 6, all.meanDifference(), EPS);
        // relative gain: the mean of the per-task relative gains, as the reference study averages over tasks
        assertEquals((100 * 0.2 / 0.3 - 50) / 2, g.relativeMeanPercent(), 1e-9);
        assertEquals(2, g.relativeTasks());
        Rows.assertClose(Bootstrap.meanInterval(new double[] {100 * 0.2 / 0.3, -50}, CONFIG), g.relativeInterval());
        assertEquals(0, g.withOnly());
        assertEquals(0, g.withoutOnly());
    }

    @Test
    void overallPValueIsTheExactSignFlipOverAllPairs() {
        // differences 0.1, 0.2, 0.3, -0.25 ×3; sum −0.15. Count sign patterns with |sum| >= 0.15 by hand-made enumeration
        double[] d = {0.1, 0.2, 0.3, -0.25, -0.25, -0.25};
        int hits = 0;
        for (int mask = 0; mask < 64; mask++) {
            double s = 0;
            for (int i = 0; i < 6; i++) s += (mask & (1 << i)) != 0 ? -d[i] : d[i];
            if (Math.abs(s) >= 0.15 - 1e-9) hits++;
        }
        FactorGain g = FactorGains.of(inDomainGrid(), Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        assertEquals(hits / 64.0, g.overall().pValue(), EPS);
        assertTrue(g.overall().pValueMethod().startsWith("exact sign-flip"));
    }

    @Test
    void rowsPairOnlyWhenEverythingElseMatches() {
        List<ResultRow> rows = new ArrayList<>(inDomainGrid());
        rows.add(row("in-domain", 0, "off", 4, "a-task", 0.9));          // seed 4 has no control
        rows.add(row("general+in-domain", 0, "off", 1, "a-task", 0.9));  // matches stages "general": absent
        rows.add(row("in-domain", 0, "on", 1, "a-task", 0.9));           // instructions differ
        rows.add(row("none", 0, "off", 1, "c-task", 0.4));               // no treated partner
        rows.add(row("bart-large", "split1", "in-domain", 0, "off", 1, "a-task", "none", 0.9, "c0ffee")); // other model
        FactorGain g = FactorGains.of(rows, Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        assertEquals(6, g.overall().n());
        assertEquals(4, g.withOnly());
        assertEquals(1, g.withoutOnly());
        assertEquals(0.2, g.tasks().get(0).comparison().meanDifference(), EPS);
    }

    @Test
    void stageListsMatchWhateverTheSeparator() {
        List<ResultRow> rows = List.of(row("general, in-domain", 0, "off", 1, "a-task", 0.6),
                row("in-domain", 0, "off", 1, "a-task", 0.5),
                row("general+in-domain", 0, "off", 2, "a-task", 0.7),
                row("in-domain", 0, "off", 2, "a-task", 0.4));
        FactorGain g = FactorGains.of(rows, Factor.stage(StageKind.GENERAL, "General MTL"), CONFIG);
        assertEquals(2, g.overall().n());
        assertEquals(0.2, g.overall().meanDifference(), EPS);
        assertEquals(List.of("general", "in-domain"), StageList.parse("general -> in-domain").names());
        assertEquals("none", StageList.parse("").key());
        assertEquals("none", StageList.parse("None").key());
        assertTrue(StageList.parse("stage2_indomain").contains(StageKind.IN_DOMAIN));
        assertTrue(StageList.parse("General-MTL").contains(StageKind.GENERAL));
        assertFalse(StageList.parse("target-task").contains(StageKind.GENERAL));
    }

    @Test
    void instructionsPairOnAgainstOffAndAverageTheWordingsOfOneCell() {
        List<ResultRow> rows = List.of(
                row("bart-base", "split1", "in-domain", 0, "on", 1, "a-task", "w1", 0.4, "c0ffee"),
                row("bart-base", "split1", "in-domain", 0, "on", 1, "a-task", "w2", 0.6, "c0ffee"),
                row("bart-base", "split1", "in-domain", 0, "off", 1, "a-task", "none", 0.3, "c0ffee"),
                row("bart-base", "split1", "in-domain", 0, "sampled-mode", 1, "a-task", "x", 0.9, "c0ffee"));
        FactorGain g = FactorGains.of(rows, Factor.instructions(), CONFIG);
        assertEquals(1, g.overall().n());
        assertEquals(0.5, g.overall().meanB(), EPS);
        assertEquals(0.2, g.overall().meanDifference(), EPS);
        // one pair: the only sign patterns are ±0.2, both as extreme
        assertEquals(1.0, g.overall().pValue(), EPS);
        assertNull(g.relativeInterval(), "one task: no interval over tasks");
    }

    @Test
    void shotsCompareKAgainstZeroIgnoringTheFewShotStage() {
        List<ResultRow> rows = new ArrayList<>();
        for (int s = 1; s <= 2; s++) {
            rows.add(row("in-domain", 0, "on", s, "a-task", 0.4));
            rows.add(row("in-domain+few-shot", 10, "on", s, "a-task", 0.5));
            rows.add(row("in-domain+few-shot", 50, "on", s, "a-task", 0.7));
        }
        List<FactorGain> gains = FactorGains.of(rows, CONFIG);
        assertEquals(List.of("In-domain MTL", "General MTL", "Instructions", "Shots (10 vs 0)", "Shots (50 vs 0)"),
                gains.stream().map(f -> f.factor().name()).toList());
        assertEquals(0.1, gains.get(3).overall().meanDifference(), 1e-9);
        assertEquals(0.3, gains.get(4).overall().meanDifference(), 1e-9);
        assertEquals(25.0, gains.get(3).relativeMeanPercent(), 1e-9);
    }

    @Test
    void missingPairsAreReportedNotInvented() {
        List<ResultRow> rows = List.of(row("in-domain", 0, "on", 1, "a-task", 0.4), row("in-domain", 0, "on", 2, "a-task", 0.5));
        List<FactorGain> gains = FactorGains.of(rows, CONFIG);
        assertEquals(List.of("In-domain MTL", "General MTL", "Instructions", "Shots (k vs 0)"),
                gains.stream().map(f -> f.factor().name()).toList());
        for (FactorGain g : gains) {
            assertFalse(g.hasPairs(), g.factor().name());
            assertNull(g.overall());
            assertTrue(g.tasks().isEmpty());
        }
        assertEquals(2, gains.get(0).withOnly());
        assertEquals(2, gains.get(1).withoutOnly());
    }

    @Test
    void relativeGainIsUndefinedForAZeroBaselineAndLeftOutOfTheAverage() {
        assertEquals(50.0, TaskGain.relativePercent(0.4, 0.6), 1e-12);
        assertEquals(-25.0, TaskGain.relativePercent(0.8, 0.6), 1e-12);
        assertTrue(Double.isNaN(TaskGain.relativePercent(0.0, 0.6)));
        List<ResultRow> rows = List.of(row("none", 0, "off", 1, "a-task", 0.0), row("in-domain", 0, "off", 1, "a-task", 0.2),
                row("none", 0, "off", 1, "b-task", 0.2), row("in-domain", 0, "off", 1, "b-task", 0.3));
        FactorGain g = FactorGains.of(rows, Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        assertEquals(1, g.relativeTasks());
        assertEquals(50.0, g.relativeMeanPercent(), 1e-9);
        assertNotNull(g.overall());
    }
}
