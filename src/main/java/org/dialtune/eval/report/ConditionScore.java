package org.dialtune.eval.report;

import org.dialtune.eval.stats.Descriptive;
import org.dialtune.eval.stats.Interval;

/**
 * A task's score under one condition: mean and spread over seeds, and the 95% bootstrap interval
 * of the mean ({@code null} with a single seed, where resampling says nothing).
 */
public record ConditionScore(Condition condition, String task, String metric, Descriptive seeds, Interval interval) {}
