package org.dialtune.eval.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * rouge_score's default tokeniser: lower-case, every run of characters outside {@code [a-z0-9]}
 * becomes a space, split on spaces, and (when stemming) tokens longer than three characters go
 * through NLTK's Porter stemmer. Non-ASCII letters therefore vanish ("café" → "caf"), as they do in
 * the Python reference. Thread-safe.
 */
public final class RougeTokenizer {
    private final PorterStemmer stemmer;

    public RougeTokenizer(boolean stem) {
        this.stemmer = stem ? new PorterStemmer() : null;
    }

    public boolean stems() {
        return stemmer != null;
    }

    public List<String> tokenize(String text) {
        // Python's str.lower() and Java's ROOT-locale lower case agree on the mappings that yield
        // ASCII letters (e.g. U+0130 "İ" → "i" + combining dot, U+212A Kelvin sign → "k").
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                current.append(c);
            } else if (current.length() > 0) {
                String token = current.toString();
                tokens.add(stemmer != null && token.length() > 3 ? stemmer.stem(token) : token);
                current.setLength(0);
            }
        }
        return tokens;
    }
}
