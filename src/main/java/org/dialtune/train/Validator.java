package org.dialtune.train;

import org.dialtune.model.Seq2SeqLm;

/**
 * Scores the model on held-out examples during training, for model selection and early stopping
 * (few-shot stages score the k validation examples with the task's metric). Higher is better.
 */
@FunctionalInterface
public interface Validator {
    double score(Seq2SeqLm model);
}
