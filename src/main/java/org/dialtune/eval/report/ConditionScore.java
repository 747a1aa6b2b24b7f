package org.dialtune.eval.report;

import org.dialtune.eval.stats.Descriptive;
import org.dialtune.eval.stats.Interval;

/**
 * A task's score under one condition: mean and spread over seeds, and the Student-t interval of the
 * mean over seeds ({@code null} with a single seed, which says nothing about the spread).
 */
public record ConditionScore(Condition condition, String task, String metric, Descriptive seeds, Interval interval) {}
