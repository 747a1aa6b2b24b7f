package org.dialtune.eval.metric;

import java.util.Map;

/**
 * The Porter stemmer exactly as NLTK's {@code PorterStemmer} computes it in its default
 * {@code NLTK_EXTENSIONS} mode, which is what rouge_score uses for {@code use_stemmer=True}.
 *
 * <p>Hand-ported because no Java library reproduces NLTK's departures from the 1980 paper (the
 * irregular-forms pool, {@code ies}/{@code ied} on short words, the y→i rule, {@code bli},
 * {@code alli}, {@code fulli}, {@code logi}, the two-letter *o condition, no stemming of words of
 * two letters or fewer); Lucene and Snowball implement Porter's own revisions instead and disagree
 * with NLTK on words such as "dying", "skies", "generously" or "ties". Rule order and conditions follow
 * NLTK's {@code nltk/stem/porter.py} one for one so the two can be compared line by line.
 *
 * <p>Input is expected in lower case (rouge_score lower-cases before stemming). Thread-safe.
 */
public final class PorterStemmer {
    /** NLTK_EXTENSIONS' irregular forms: word → stem, returned without running the steps. */
    private static final Map<String, String> POOL = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    /** A stem condition of a suffix rule. */
    @FunctionalInterface
    private interface Condition {
        boolean test(String stem);
    }

    /** One suffix rule: replace {@code suffix} by {@code replacement} when {@code condition} holds. */
    private record Rule(String suffix, String replacement, Condition condition) {}

    /** NLTK's marker suffix for "ends in a double consonant". */
    private static final String DOUBLE = "*d";

    public String stem(String word) {
        String pooled = POOL.get(word);
        if (pooled != null) return pooled;
        if (word.length() <= 2) return word;
        String s = step1a(word);
        s = step1b(s);
        s = step1c(s);
        s = step2(s);
        s = step3(s);
        s = step4(s);
        s = step5a(s);
        return step5b(s);
    }

    // ---- letter classes and measures, as defined in the paper ----

    private static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return false;
        if (c == 'y') return i == 0 || !isConsonant(w, i - 1);
        return true;
    }

    /** m in [C](VC){m}[V]: the number of vowel→consonant transitions. */
    static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) m++;
        }
        return m;
    }

    private static boolean positiveMeasure(String stem) {
        return measure(stem) > 0;
    }

    private static boolean measureAbove1(String stem) {
        return measure(stem) > 1;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) return true;
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    /** Condition *o, with NLTK's extension that a two-letter vowel-consonant stem also counts. */
    private static boolean endsCvc(String w) {
        int n = w.length();
        if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)) {
            char last = w.charAt(n - 1);
            if (last != 'w' && last != 'x' && last != 'y') return true;
        }
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1);
    }

    private static String cut(String w, String suffix) {
        return w.substring(0, w.length() - suffix.length());
    }

    /** The first rule whose suffix matches decides: applied if its condition holds, else no change. */
    private static String applyRules(String word, Rule... rules) {
        for (Rule r : rules) {
            if (r.suffix.equals(DOUBLE) && endsDoubleConsonant(word)) {
                String stem = word.substring(0, word.length() - 2);
                return r.condition == null || r.condition.test(stem) ? stem + r.replacement : word;
            }
            if (word.endsWith(r.suffix)) {
                String stem = cut(word, r.suffix);
                return r.condition == null || r.condition.test(stem) ? stem + r.replacement : word;
            }
        }
        return word;
    }

    // ---- the steps ----

    private static String step1a(String w) {
        if (w.endsWith("ies") && w.length() == 4) return cut(w, "ies") + "ie"; // NLTK: "dies" -> "die"
        return applyRules(w,
                new Rule("sses", "ss", null),
                new Rule("ies", "i", null),
                new Rule("ss", "ss", null),
                new Rule("s", "", null));
    }

    private static String step1b(String w) {
        if (w.endsWith("ied")) return cut(w, "ied") + (w.length() == 4 ? "ie" : "i"); // NLTK extension
        if (w.endsWith("eed")) {
            String stem = cut(w, "eed");
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String inter = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (w.endsWith(suffix) && containsVowel(cut(w, suffix))) {
                inter = cut(w, suffix);
                break;
            }
        }
        if (inter == null) return w;
        char last = inter.charAt(inter.length() - 1);
        return applyRules(inter,
                new Rule("at", "ate", null),
                new Rule("bl", "ble", null),
                new Rule("iz", "ize", null),
                new Rule(DOUBLE, String.valueOf(last), stem -> last != 'l' && last != 's' && last != 'z'),
                new Rule("", "e", stem -> measure(stem) == 1 && endsCvc(stem)));
    }

    private static String step1c(String w) {
        // NLTK: y -> i only after a consonant that is not the first letter ("happy" -> "happi", "cry" stays)
        return applyRules(w, new Rule("y", "i", stem -> stem.length() > 1 && isConsonant(stem, stem.length() - 1)));
    }

    private static final Rule[] STEP2 = {
        new Rule("ational", "ate", PorterStemmer::positiveMeasure),
        new Rule("tional", "tion", PorterStemmer::positiveMeasure),
        new Rule("enci", "ence", PorterStemmer::positiveMeasure),
        new Rule("anci", "ance", PorterStemmer::positiveMeasure),
        new Rule("izer", "ize", PorterStemmer::positiveMeasure),
        new Rule("bli", "ble", PorterStemmer::positiveMeasure), // NLTK/Martin: bli, not the paper's abli
        new Rule("alli", "al", PorterStemmer::positiveMeasure),
        new Rule("entli", "ent", PorterStemmer::positiveMeasure),
        new Rule("eli", "e", PorterStemmer::positiveMeasure),
        new Rule("ousli", "ous", PorterStemmer::positiveMeasure),
        new Rule("ization", "ize", PorterStemmer::positiveMeasure),
        new Rule("ation", "ate", PorterStemmer::positiveMeasure),
        new Rule("ator", "ate", PorterStemmer::positiveMeasure),
        new Rule("alism", "al", PorterStemmer::positiveMeasure),
        new Rule("iveness", "ive", PorterStemmer::positiveMeasure),
        new Rule("fulness", "ful", PorterStemmer::positiveMeasure),
        new Rule("ousness", "ous", PorterStemmer::positiveMeasure),
        new Rule("aliti", "al", PorterStemmer::positiveMeasure),
        new Rule("iviti", "ive", PorterStemmer::positiveMeasure),
        new Rule("biliti", "ble", PorterStemmer::positiveMeasure),
        new Rule("fulli", "ful", PorterStemmer::positiveMeasure),
        // NLTK measures the stem including the "l" of "logi" ("word[:-3]")
        new Rule("logi", "log", stem -> positiveMeasure(stem + "l")),
    };

    private static String step2(String w) {
        if (w.endsWith("alli") && positiveMeasure(cut(w, "alli"))) return step2(cut(w, "alli") + "al");
        return applyRules(w, STEP2);
    }

    private static final Rule[] STEP3 = {
        new Rule("icate", "ic", PorterStemmer::positiveMeasure),
        new Rule("ative", "", PorterStemmer::positiveMeasure),
        new Rule("alize", "al", PorterStemmer::positiveMeasure),
        new Rule("iciti", "ic", PorterStemmer::positiveMeasure),
        new Rule("ical", "ic", PorterStemmer::positiveMeasure),
        new Rule("ful", "", PorterStemmer::positiveMeasure),
        new Rule("ness", "", PorterStemmer::positiveMeasure),
    };

    private static String step3(String w) {
        return applyRules(w, STEP3);
    }

    private static final Rule[] STEP4 = {
        new Rule("al", "", PorterStemmer::measureAbove1),
        new Rule("ance", "", PorterStemmer::measureAbove1),
        new Rule("ence", "", PorterStemmer::measureAbove1),
        new Rule("er", "", PorterStemmer::measureAbove1),
        new Rule("ic", "", PorterStemmer::measureAbove1),
        new Rule("able", "", PorterStemmer::measureAbove1),
        new Rule("ible", "", PorterStemmer::measureAbove1),
        new Rule("ant", "", PorterStemmer::measureAbove1),
        new Rule("ement", "", PorterStemmer::measureAbove1),
        new Rule("ment", "", PorterStemmer::measureAbove1),
        new Rule("ent", "", PorterStemmer::measureAbove1),
        new Rule("ion", "", stem -> measure(stem) > 1
                && (stem.charAt(stem.length() - 1) == 's' || stem.charAt(stem.length() - 1) == 't')),
        new Rule("ou", "", PorterStemmer::measureAbove1),
        new Rule("ism", "", PorterStemmer::measureAbove1),
        new Rule("ate", "", PorterStemmer::measureAbove1),
        new Rule("iti", "", PorterStemmer::measureAbove1),
        new Rule("ous", "", PorterStemmer::measureAbove1),
        new Rule("ive", "", PorterStemmer::measureAbove1),
        new Rule("ize", "", PorterStemmer::measureAbove1),
    };

    private static String step4(String w) {
        return applyRules(w, STEP4);
    }

    private static String step5a(String w) {
        if (w.endsWith("e")) {
            String stem = cut(w, "e");
            int m = measure(stem);
            if (m > 1) return stem;
            if (m == 1 && !endsCvc(stem)) return stem;
        }
        return w;
    }

    private static String step5b(String w) {
        return applyRules(w, new Rule("ll", "l", stem -> measure(w.substring(0, w.length() - 1)) > 1));
    }
}
