package org.dialtune.eval.instructions;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Simple, documented properties of a wording that might explain why it scores better or worse:
 * its length in words, whether it asks a question (contains "?") rather than giving an order,
 * whether it mentions the answer options, and whether it says what form the answer takes.
 */
public record WordingFeatures(int words, boolean question, boolean mentionsOptions, boolean mentionsFormat) {
    /** Options: "option(s)", "choice(s)", "choose", "choosing", "listed", "candidate(s)", "one of". */
    static final Pattern OPTIONS = Pattern.compile(
            "\\b(options?|choices?|choose|choosing|listed|candidates?|one of)\\b", Pattern.CASE_INSENSITIVE);
    /**
     * Output format: a verb of answering followed by how ("answer with", "reply only", "respond in",
     * "output as"...), or "exactly", "format", "verbatim", "one word", "single word", "yes or no", "as written".
     */
    static final Pattern FORMAT = Pattern.compile(
            "\\b(answer|reply|respond|output|return|write)\\s+(with|only|in|as|using|exactly)\\b"
                    + "|\\b(exactly|format|verbatim|one word|single word|yes or no|as written)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]");

    /** A yes/no feature: its name in reports and how to read it off the features. */
    public record Binary(String name, String column, Predicate<WordingFeatures> test) {}

    public static final List<Binary> BINARY = List.of(
            new Binary("question (vs imperative)", "question", WordingFeatures::question),
            new Binary("mentions the options", "mentions_options", WordingFeatures::mentionsOptions),
            new Binary("mentions the output format", "mentions_format", WordingFeatures::mentionsFormat));

    public static WordingFeatures of(String text) {
        int words = 0;
        for (String token : text.trim().split("\\s+")) if (WORD.matcher(token).find()) words++;
        return new WordingFeatures(words, text.contains("?"), OPTIONS.matcher(text).find(), FORMAT.matcher(text).find());
    }
}
