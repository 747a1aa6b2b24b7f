package org.dialtune.format;

import java.util.List;

/**
 * One model-ready example: what the encoder reads ({@code source}), what the decoder should produce
 * ({@code target}), and for classification the candidate answers in the same surface form as the
 * target ({@code options}, empty for generation). {@code instructionId} is null when no instruction
 * was prefixed. This is the contract between the task/format stage and the model, training and
 * evaluation stages.
 */
public record Seq2SeqExample(
        String task,
        String split,
        String id,
        String instructionId,
        String source,
        String target,
        List<String> options) {
    public Seq2SeqExample {
        options = List.copyOf(options);
    }
}
