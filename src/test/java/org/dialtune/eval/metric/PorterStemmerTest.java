package org.dialtune.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PorterStemmerTest {
    private final PorterStemmer stemmer = new PorterStemmer();

    @Test
    void matchesNltkOnEveryReferenceWord() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int rows = 0;
        int departures = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(getClass().getResourceAsStream("porter_nltk.tsv")), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\t");
                rows++;
                if (!f[1].equals(f[2])) departures++;
                String got = stemmer.stem(f[0]);
                if (!got.equals(f[1])) mismatches.add(f[0] + ": expected " + f[1] + ", got " + got);
            }
        }
        assertEquals(607, rows);
        assertTrue(departures >= 114, "the vectors must cover words where NLTK departs from the paper: " + departures);
        assertEquals(List.of(), mismatches);
    }

    @Test
    void nltkExtensionsNotTheOriginalAlgorithm() {
        // Each of these differs from the 1980 paper's algorithm; values from NLTK 3.8 (original in brackets).
        assertEquals("die", stemmer.stem("dying"));      // irregular-forms pool ("dy")
        assertEquals("sky", stemmer.stem("skies"));      // pool ("ski")
        assertEquals("tie", stemmer.stem("ties"));       // 4-letter "ies" -> "ie" ("ti")
        assertEquals("annoy", stemmer.stem("annoying")); // y stays after a vowel ("annoi")
        assertEquals("aw", stemmer.stem("awfully"));     // fulli -> ful, then ful is dropped ("awfulli")
        assertEquals("archaeolog", stemmer.stem("archaeology")); // logi -> log ("archaeologi")
        assertEquals("is", stemmer.stem("is"));          // two letters are never stemmed ("i")
        assertEquals("wa", stemmer.stem("was"));         // three letters are (rouge_score skips them itself)
    }

    @Test
    void paperExamples() {
        assertEquals("caress", stemmer.stem("caresses"));
        assertEquals("poni", stemmer.stem("ponies"));
        assertEquals("agre", stemmer.stem("agreed"));
        assertEquals("hop", stemmer.stem("hopping"));
        assertEquals("file", stemmer.stem("filing"));
        assertEquals("relat", stemmer.stem("relational"));
        assertEquals("control", stemmer.stem("controll"));
        assertEquals(2, PorterStemmer.measure("troubles"));
        assertEquals(0, PorterStemmer.measure("tree"));
    }
}
