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
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.StatsConfig;
import org.dialtune.eval.stats.PairedComparison;
import org.junit.jupiter.api.Test;

class FactorGainsTest {
    private static final StatsConfig CONFIG = new StatsConfig(2000, 7, 0.95);
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

        // every seed's in-domain model serves both tasks: 6 pairs in 3 independent units
        assertEquals(6, g.pairs());
        assertEquals(3, g.units());
        TaskGain a = g.tasks().get(0);
        assertEquals("a-task", a.task());
        assertEquals(3, a.pairs());
        PairedComparison ca = a.comparison();
        assertEquals(3, ca.n());
        assertEquals(0.3, ca.meanA(), EPS);
        assertEquals(0.5, ca.meanB(), EPS);
        assertEquals(0.2, ca.meanDifference(), EPS);
        // all three differences positive: 2 of the 8 sign patterns are as extreme
        assertEquals(0.25, ca.pValue(), EPS);
        assertEquals(100 * 0.2 / 0.3, a.relativePercent(), 1e-9);
        // Student-t over the 3 units: scipy.stats.t.interval(0.95, 2, loc=0.2, scale=sem([0.1, 0.2, 0.3]))
        Rows.assertClose(new Interval(-0.048413771175032955, 0.448413771175033, 0.95, 3), ca.differenceInterval());

        TaskGain b = g.tasks().get(1);
        assertEquals(-0.25, b.comparison().meanDifference(), EPS);
        assertEquals(-50.0, b.relativePercent(), 1e-9);
        Rows.assertClose(new Interval(-0.25, -0.25, 0.95, 3), b.comparison().differenceInterval());

        assertEquals(1, g.metrics().size());
        MetricGain accuracy = g.metrics().get(0);
        assertEquals("accuracy", accuracy.metric());
        assertEquals(2, accuracy.tasks());
        assertEquals(6, accuracy.pairs());
        PairedComparison all = accuracy.comparison();
        assertEquals(3, all.n(), "tested across the 3 units, not the 6 pairs");
        assertEquals((0.1 + 0.2 + 0.3 - 0.75) / 6, all.meanDifference(), EPS);
        // relative gain of a unit: mean over its tasks (a: +50, +50, +100; b: −50 each) → 0, 0, 25; mean over units
        assertEquals(25.0 / 3, g.relativeMeanPercent(), 1e-9);
        assertEquals(3, g.relativeUnits());
        assertEquals(2, g.relativeTasks());
        Rows.assertClose(new Interval(-27.522106081245518, 44.18877274791219, 0.95, 3), g.relativeInterval());
        assertEquals(0, g.withOnly());
        assertEquals(0, g.withoutOnly());
    }

    @Test
    void overallPValueIsTheExactSignFlipOverUnitsNotRows() {
        // unit (seed) means of the differences: (0.1 − 0.25)/2, (0.2 − 0.25)/2, (0.3 − 0.25)/2; sum −0.075
        double[] d = {-0.075, -0.025, 0.025};
        int hits = 0;
        for (int mask = 0; mask < 8; mask++) {
            double s = 0;
            for (int i = 0; i < 3; i++) s += (mask & (1 << i)) != 0 ? -d[i] : d[i];
            if (Math.abs(s) >= 0.075 - 1e-9) hits++;
        }
        assertEquals(6, hits);
        FactorGain g = FactorGains.of(inDomainGrid(), Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        PairedComparison all = g.metrics().get(0).comparison();
        assertEquals(hits / 8.0, all.pValue(), EPS);
        assertEquals("exact sign-flip (8 patterns)", all.pValueMethod());
        Rows.assertClose(new Interval(-0.1492068855875165, 0.09920688558751649, 0.95, 3), all.differenceInterval());
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
        assertEquals(6, g.pairs());
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
        assertEquals(2, g.pairs());
        assertEquals(2, g.units(), "one unit per seed");
        assertEquals(0.2, g.metrics().get(0).comparison().meanDifference(), EPS);
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
        PairedComparison all = g.metrics().get(0).comparison();
        assertEquals(1, all.n());
        assertEquals(0.5, all.meanB(), EPS);
        assertEquals(0.2, all.meanDifference(), EPS);
        // one pair: the only sign patterns are ±0.2, both as extreme
        assertEquals(1.0, all.pValue(), EPS);
        assertNull(all.differenceInterval(), "one unit: no interval");
        assertNull(g.relativeInterval(), "one unit: no interval");
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
        assertEquals(0.1, gains.get(3).metrics().get(0).comparison().meanDifference(), 1e-9);
        assertEquals(0.3, gains.get(4).metrics().get(0).comparison().meanDifference(), 1e-9);
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
            assertTrue(g.metrics().isEmpty());
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
        assertEquals(1, g.relativeUnits());
        assertNotNull(g.metrics().get(0).comparison());
    }

    @Test
    void oneSeedsMultiTaskModelServesAllItsShotCountsAndTasksAsOneUnit() {
        List<ResultRow> rows = new ArrayList<>();
        for (int s = 1; s <= 2; s++) {
            for (int k : new int[] {0, 10}) {
                // as experiment run writes them: the condition in stages, few-shot fine-tuning in shots
                rows.add(row("none", k, "on", s, "a-task", 0.4));
                rows.add(row("in-domain", k, "on", s, "a-task", 0.4 + 0.1 * s));
                rows.add(row("none", k, "on", s, "gen-task", 0.2));
                rows.add(row("in-domain", k, "on", s, "gen-task", 0.3));
            }
        }
        FactorGain g = FactorGains.of(rows, Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL"), CONFIG);
        assertEquals(8, g.pairs());
        assertEquals(2, g.units(), "2 shot counts × 2 tasks of a seed share its in-domain model");
        // metrics kept apart: accuracy and Rouge-L each get their own comparison over the 2 units
        assertEquals(List.of("accuracy", "rouge_l"), g.metrics().stream().map(MetricGain::metric).toList());
        PairedComparison accuracy = g.metrics().get(0).comparison();
        assertEquals(2, accuracy.n());
        assertEquals(4, g.metrics().get(0).pairs());
        assertEquals(0.15, accuracy.meanDifference(), EPS);
        assertEquals(0.1, g.metrics().get(1).comparison().meanDifference(), EPS);
        assertEquals(2, g.tasks().get(0).comparison().n());
        assertEquals(4, g.tasks().get(0).pairs());
    }

    @Test
    void untrainedZeroShotPairsAreOneMeasurementWhateverTheNumberOfSeeds() {
        // the starting model scored with and without instructions: a fixed evaluation subset, so all 6 seeds are copies
        List<ResultRow> rows = new ArrayList<>();
        for (int s = 1; s <= 6; s++) {
            rows.add(row("none", 0, "off", s, "a-task", 0.30));
            rows.add(row("none", 0, "on", s, "a-task", 0.35));
        }
        FactorGain g = FactorGains.of(rows, Factor.instructions(), CONFIG);
        assertEquals(6, g.pairs());
        assertEquals(1, g.units());
        PairedComparison c = g.tasks().get(0).comparison();
        assertEquals(1, c.n());
        assertEquals(0.05, c.meanDifference(), EPS);
        // six copies taken as six seeds would give p = 2/64 and a zero-width interval
        assertEquals(1.0, c.pValue(), EPS);
        assertNull(c.differenceInterval());

        // with an in-domain condition trained per seed, each seed's copy joins that seed's unit: 6 units,
        // each the mean of the constant +0.05 and the seed's own in-domain difference
        for (int s = 1; s <= 6; s++) {
            rows.add(row("in-domain", 0, "off", s, "a-task", 0.40));
            rows.add(row("in-domain", 0, "on", s, "a-task", 0.40 + (s % 2 == 0 ? 0.02 : -0.02)));
        }
        FactorGain withTrained = FactorGains.of(rows, Factor.instructions(), CONFIG);
        assertEquals(12, withTrained.pairs());
        assertEquals(6, withTrained.units());
        PairedComparison t = withTrained.tasks().get(0).comparison();
        assertEquals(6, t.n());
        assertEquals(0.025, t.meanDifference(), EPS);
        // unit differences 0.015, 0.035 (three each), spread from the trained pairs only:
        // scipy.stats.t.interval(0.95, 5, loc=0.025, scale=sem([0.015, 0.035] * 3))
        Rows.assertClose(new Interval(0.01350400854758202, 0.03649599145241799, 0.95, 6), t.differenceInterval());
    }

    @Test
    void fewShotSamplesJoinModelsAndConditionsOfOneSeed() {
        List<ResultRow> rows = new ArrayList<>();
        for (int s = 1; s <= 3; s++) {
            for (String task : List.of("a-task", "b-task")) {
                for (String model : List.of("bart-base", "bart-large")) {
                    rows.add(row(model, "split1", "none", 0, "on", s, task, "sampled", 0.3, "c"));
                    rows.add(row(model, "split1", "none+few-shot", 10, "on", s, task, "sampled", 0.3 + 0.01 * s, "c"));
                }
            }
        }
        Factor shots = Factor.shots(10);
        // starting models fine-tuned per task: the two models share each (task, seed) few-shot sample; tasks do not share
        FactorGain untrained = FactorGains.of(rows, shots, CONFIG);
        assertEquals(8 + 4, untrained.pairs());
        assertEquals(6, untrained.units(), "one unit per (task, seed)");
        assertEquals(3, untrained.tasks().get(0).comparison().n());
        // an in-domain condition's model serves both tasks of a seed, so each seed becomes one unit
        for (int s = 1; s <= 3; s++) {
            for (String task : List.of("a-task", "b-task")) {
                rows.add(row("bart-base", "split1", "in-domain", 0, "on", s, task, "sampled", 0.4, "c"));
                rows.add(row("bart-base", "split1", "in-domain", 10, "on", s, task, "sampled", 0.45, "c"));
            }
        }
        FactorGain joined = FactorGains.of(rows, shots, CONFIG);
        assertEquals(18, joined.pairs());
        assertEquals(3, joined.units());
        assertEquals(3, joined.metrics().get(0).comparison().n());
    }

    /**
     * The simulation: in-domain MTL with no true gain, seeds whose multi-task model (a random
     * quality m_s) serves 4 shot counts and 3 tasks, few-shot samples shared by both conditions. Tested
     * across seeds, p < 0.05 in about 5% of 1,000 seeded runs and the interval covers 0 in about 95%;
     * tested across pairs as if they were independent (the old report), far more often.
     */
    @Test
    void falsePositiveRateWithoutAnEffectIsAboutFivePercent() {
        java.util.Random rng = new java.util.Random(17L);
        Factor inDomain = Factor.stage(StageKind.IN_DOMAIN, "In-domain MTL");
        StatsConfig config = new StatsConfig(1000, 1, 0.95);
        int runs = 1000;
        int seeds = 10;
        int falsePositives = 0;
        int falsePositivesPerTask = 0;
        int covered = 0;
        int falsePositivesAcrossPairs = 0;
        String[] tasks = {"a-task", "b-task", "gen-task"};
        double[] base = {0.4, 0.6, 0.3};
        int[] shots = {0, 10, 50, 100};
        for (int run = 0; run < runs; run++) {
            List<ResultRow> rows = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                double model = 0.03 * rng.nextGaussian();
                for (int t = 0; t < tasks.length; t++) {
                    for (int k : shots) {
                        double sample = k == 0 ? 0 : 0.05 * rng.nextGaussian();
                        rows.add(row("none", k, "on", s, tasks[t], base[t] + sample + (k == 0 ? 0 : 0.01 * rng.nextGaussian())));
                        rows.add(row("in-domain", k, "on", s, tasks[t], base[t] + model + sample + 0.01 * rng.nextGaussian()));
                    }
                }
            }
            FactorGain g = FactorGains.of(rows, inDomain, config);
            assertEquals(seeds * tasks.length * shots.length, g.pairs());
            assertEquals(seeds, g.units());
            PairedComparison accuracy = g.metrics().get(0).comparison();
            assertEquals(seeds, accuracy.n());
            if (accuracy.pValue() < 0.05) falsePositives++;
            if (g.tasks().get(0).comparison().pValue() < 0.05) falsePositivesPerTask++;
            if (accuracy.differenceInterval().contains(0)) covered++;
            // the old report: every accuracy pair (2 tasks × 4 shot counts × 10 seeds) as an independent item
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            for (ResultRow r : rows) {
                if (!r.metric().equals("accuracy")) continue;
                (r.stages().startsWith("in-domain") ? with : without).add(r.value());
            }
            double[] a = without.stream().mapToDouble(Double::doubleValue).toArray();
            double[] b = with.stream().mapToDouble(Double::doubleValue).toArray();
            if (PairedComparison.of(a, b, config).pValue() < 0.05) falsePositivesAcrossPairs++;
        }
        assertEquals(0.05, (double) falsePositives / runs, 0.025, "false-positive rate of the accuracy gain");
        assertEquals(0.05, (double) falsePositivesPerTask / runs, 0.025, "false-positive rate of a task's gain");
        assertEquals(0.95, (double) covered / runs, 0.025, "coverage of the 95% interval of the accuracy gain");
        assertTrue(falsePositivesAcrossPairs > 0.25 * runs, "rows taken as independent: " + falsePositivesAcrossPairs + " of " + runs);
    }
}
