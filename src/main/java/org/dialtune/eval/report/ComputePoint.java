package org.dialtune.eval.report;

/**
 * One point of a score-against-compute curve: a task's mean score over seeds for one method and FLOP
 * budget, at the mean training FLOPs its seeds spent (seeds differ a little: padding depends on the batches).
 *
 * @param series what the curve is: the method (with the model or setting where a run has several)
 * @param budgetFlops the cells' {@code budget_flops}, NaN without one
 */
public record ComputePoint(String task, String metric, boolean seen, String split, String series, double budgetFlops,
                           double flops, double score, int seeds, long trainableParams) {}
