package org.dialtune.task;

import java.nio.file.Path;
import java.util.Map;

/**
 * A parsed, validated task file. {@link #fillTemplate} is the one place that applies the answer
 * template; metrics strip it again with the same {@code {answer}} convention. {@code tag} is the short
 * task name a source shows in place of an instruction when instructions are off.
 */
public record Task(
        String name,
        String family,
        String tag,
        TaskType type,
        String dataset,
        String license,
        String metric,
        String description,
        String readerName,
        DatasetReader.Configured reader,
        Map<String, SplitSpec> splits,
        ExampleSpec example,
        LabelSpec labels,
        String answerTemplate,
        long sampleSeed,
        Path file) {
    public static final String ANSWER = "{answer}";

    public Task {
        splits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(splits));
    }

    /** The answer template with {@code answer} in place of {@code {answer}}. */
    public String fillTemplate(String answer) {
        return answerTemplate.replace(ANSWER, answer);
    }

    public boolean isClassification() {
        return type == TaskType.CLASSIFICATION;
    }
}
