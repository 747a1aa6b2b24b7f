package org.dialtune.eval.metric;

/**
 * Settings a metric may use: Porter stemming for Rouge-L (on by default, as InstructDial reported it)
 * and the task's answer template for accuracy (the placeholder {@value AnswerNormalizer#PLACEHOLDER}
 * marks the label). Each metric reports the settings it used in its {@link MetricResult}.
 */
public record MetricOptions(boolean stem, String answerTemplate) {
    public static final MetricOptions DEFAULT = new MetricOptions(true, AnswerNormalizer.PLACEHOLDER);

    public MetricOptions withStem(boolean stem) {
        return new MetricOptions(stem, answerTemplate);
    }

    public MetricOptions withAnswerTemplate(String template) {
        return new MetricOptions(stem, template);
    }
}
