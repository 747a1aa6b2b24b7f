package org.dialtune.task;

import java.util.List;

/**
 * A dialogue example as read from a dataset, before any text layout: the earlier turns
 * ({@code context}), the turn the task is about ({@code utterance}, may be null), optional grounding
 * texts (null when absent), the raw gold answer ({@code target}: a raw label for classification, the
 * reference text for generation) and, for tasks whose options come from the data, the raw options.
 * {@code location} says where it came from (file:line or file:record), for error messages.
 */
public record DialogueExample(
        String id,
        List<Turn> context,
        Turn utterance,
        String response,
        String knowledge,
        String persona,
        String document,
        String question,
        List<String> options,
        String target,
        String location) {
    public DialogueExample {
        context = List.copyOf(context);
        options = List.copyOf(options);
    }
}
