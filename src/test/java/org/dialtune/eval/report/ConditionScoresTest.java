package org.dialtune.eval.report;

import static org.dialtune.eval.report.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.dialtune.eval.stats.Interval;
import org.dialtune.eval.stats.StatsConfig;
import org.junit.jupiter.api.Test;

class ConditionScoresTest {
    private static final StatsConfig CONFIG = new StatsConfig(2000, 3, 0.95);

    @Test
    void oneScorePerConditionAndTaskWithSeedsAveragedOverWordings() {
        List<ConditionScore> scores = ConditionScores.of(List.of(
                row("bart-base", "split1", "in-domain", 0, "on", 1, "a-task", "w1", 0.2, "c"),
                row("bart-base", "split1", "in-domain", 0, "on", 1, "a-task", "w2", 0.4, "c"),
                row("bart-base", "split1", "in-domain", 0, "on", 2, "a-task", "w1", 0.5, "c"),
                row("bart-base", "split1", "in-domain", 0, "on", 3, "a-task", "w1", 0.6, "c"),
                row("bart-base", "split1", "none", 0, "off", 1, "a-task", "none", 0.1, "c")), CONFIG);
        assertEquals(2, scores.size());
        ConditionScore on = scores.get(0);
        assertEquals(new Condition("bart-base", "in-domain", 0, "on", "split1", ""), on.condition());
        assertEquals(3, on.seeds().n());
        assertEquals((0.3 + 0.5 + 0.6) / 3, on.seeds().mean(), 1e-12);
        // sample std of 0.3, 0.5, 0.6 (ddof = 1)
        double m = (0.3 + 0.5 + 0.6) / 3;
        double sd = Math.sqrt(((0.3 - m) * (0.3 - m) + (0.5 - m) * (0.5 - m) + (0.6 - m) * (0.6 - m)) / 2);
        assertEquals(sd, on.seeds().sampleStd(), 1e-12);
        // Student-t over the 3 seeds: scipy.stats.t.interval(0.95, 2, loc=mean, scale=sem) of [0.3, 0.5, 0.6]
        Rows.assertClose(new Interval(0.08720836330699067, 0.8461249700263426, 0.95, 3), on.interval());
        ConditionScore off = scores.get(1);
        assertEquals(1, off.seeds().n());
        assertNull(off.interval(), "a single seed has no interval");
    }
}
