package org.dialtune.eval.metric;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a generated answer or a gold label into the form that exact match compares: the task's answer
 * template is stripped (for {@code "The intent is {answer}."}, the text before and after the
 * placeholder, each removed when present, so a model that drops the final period still matches), then
 * lower case, whitespace collapsed, and punctuation around the answer removed. Punctuation inside the
 * answer ({@code card_arrival}, {@code don't}) is kept.
 */
public final class AnswerNormalizer {
    public static final String PLACEHOLDER = "{answer}";

    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern SURROUNDING_PUNCTUATION = Pattern.compile("^[\\p{P}\\s]+|[\\p{P}\\s]+$");

    private final String template;
    private final String prefix;
    private final String suffix;

    private AnswerNormalizer(String template, String prefix, String suffix) {
        this.template = template;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /** Throws {@link IllegalArgumentException} unless the template holds the placeholder exactly once. */
    public static AnswerNormalizer forTemplate(String template) {
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("answer template \"" + template + "\" must contain " + PLACEHOLDER
                    + " exactly once");
        }
        return new AnswerNormalizer(template, squeeze(template.substring(0, at)),
                squeeze(template.substring(at + PLACEHOLDER.length())));
    }

    public String template() {
        return template;
    }

    public String normalize(String text) {
        String t = squeeze(text);
        if (!prefix.isEmpty() && t.startsWith(prefix)) t = t.substring(prefix.length());
        if (!suffix.isEmpty() && t.endsWith(suffix)) t = t.substring(0, t.length() - suffix.length());
        return SURROUNDING_PUNCTUATION.matcher(t.strip()).replaceAll("");
    }

    /** Lower case, runs of white space as one space, no white space at either end. */
    private static String squeeze(String s) {
        return SPACES.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }
}
