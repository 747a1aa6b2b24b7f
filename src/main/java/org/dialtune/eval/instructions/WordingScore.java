package org.dialtune.eval.instructions;

import org.dialtune.eval.stats.Descriptive;
import org.dialtune.eval.stats.Interval;

/**
 * A wording's score on one task: mean over seeds, its Student-t interval over seeds ({@code null} with
 * one seed), and its rank among the task's wordings (1 = best).
 */
public record WordingScore(int rank, Wording wording, WordingFeatures features, Descriptive seeds, Interval interval) {}
