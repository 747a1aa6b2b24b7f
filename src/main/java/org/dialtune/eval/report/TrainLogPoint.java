package org.dialtune.eval.report;

/**
 * One line of a {@code train_log.jsonl}: a training line (loss, learning rate, gradient norm,
 * throughput, memory) or a validation line (validation score). Fields a line lacks are NaN.
 */
public record TrainLogPoint(String stage, long step, double loss, double lr, double gradNorm, double tokensPerS,
                            double rssMb, double validationScore) {
    public boolean isTraining() {
        return !Double.isNaN(loss);
    }

    public boolean isValidation() {
        return !Double.isNaN(validationScore);
    }
}
