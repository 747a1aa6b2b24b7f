package org.dialtune.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Rouge-L against numbers produced by rouge_score itself (see the README beside the vectors). */
class RougeLTest {
    private static List<JsonObject> vectors() throws IOException {
        List<JsonObject> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                RougeLTest.class.getResourceAsStream("rouge_reference.jsonl")), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) out.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return out;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) out.add(e.getAsString());
        return out;
    }

    private static String describe(RougeScore s) {
        return "[" + s.precision() + ", " + s.recall() + ", " + s.fmeasure() + "]";
    }

    private static String describe(JsonArray a) {
        return "[" + a.get(0).getAsDouble() + ", " + a.get(1).getAsDouble() + ", " + a.get(2).getAsDouble() + "]";
    }

    @Test
    void matchesRougeScoreExactlyOnEveryVector() throws IOException {
        List<String> mismatches = new ArrayList<>();
        List<JsonObject> vectors = vectors();
        assertEquals(378, vectors.size());
        for (JsonObject v : vectors) {
            boolean stem = v.get("stem").getAsBoolean();
            String pred = v.get("prediction").getAsString();
            List<String> refs = strings(v.getAsJsonArray("references"));
            String label = v.get("case").getAsString() + (stem ? " (stem)" : " (no stem)");

            List<String> tokens = new RougeTokenizer(stem).tokenize(pred);
            if (!tokens.equals(strings(v.getAsJsonArray("prediction_tokens")))) {
                mismatches.add(label + " tokens " + tokens);
            }
            for (String type : List.of("rougeL", "rougeLsum")) {
                RougeScore got = new RougeL(stem, type.equals("rougeLsum")).scoreBest(refs, pred);
                String want = describe(v.getAsJsonArray(type));
                // exact: the same operations in the same order give the same doubles
                if (!describe(got).equals(want)) mismatches.add(label + " " + type + " " + describe(got) + " != " + want);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void matchesRougeScoreOnDialogSumTestSummaries() throws IOException {
        Path data = SharedData.require("datasets/dialogsum/DialogSum_Data/dialogsum.test.jsonl");
        Map<String, String[]> expected = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("dialogsum_test_rouge.tsv")), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                expected.put(f[0] + "/" + f[1], f);
            }
        }
        assertEquals(1000, expected.size());
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (boolean stem : new boolean[] {true, false}) {
            RougeL rougeL = new RougeL(stem, false);
            RougeL rougeLsum = new RougeL(stem, true);
            for (String line : Files.readAllLines(data, StandardCharsets.UTF_8)) {
                JsonObject d = JsonParser.parseString(line).getAsJsonObject();
                String[] want = expected.get(d.get("fname").getAsString() + "/" + stem);
                String pred = d.get("summary1").getAsString();
                List<String> refs = List.of(d.get("summary2").getAsString(), d.get("summary3").getAsString());
                double l = rougeL.scoreBest(refs, pred).fmeasure();
                double s = rougeLsum.scoreBest(refs.stream().map(RougeLTest::sentencePerLine).toList(),
                        sentencePerLine(pred)).fmeasure();
                if (l != Double.parseDouble(want[2]) || s != Double.parseDouble(want[3])) {
                    mismatches.add(want[0] + " stem=" + stem + ": " + l + "/" + s + " != " + want[2] + "/" + want[3]);
                }
                checked++;
            }
        }
        assertEquals(1000, checked);
        assertEquals(List.of(), mismatches);
    }

    private static String sentencePerLine(String text) {
        return text.replace(". ", ".\n");
    }

    @Test
    void handWorkedExample() {
        // pred "a c | d b e" vs ref "a b c | d e": rougeL LCS("a c d b e", "a b c d e") = 4 -> 0.8;
        // rougeLsum: union LCS of "a b c" = {a, c}, of "d e" = {d, e} -> 4 hits... and "b" is
        // matched in the second prediction sentence: union {a, b}∪{a, c} = a b c -> 5 hits of 5 -> 1.0
        assertEquals(0.8, new RougeL(false, false).score("a b c\nd e", "a c\nd b e").fmeasure(), 1e-15);
        assertEquals(1.0, new RougeL(false, true).score("a b c\nd e", "a c\nd b e").fmeasure(), 0.0);
        assertEquals(RougeScore.ZERO, new RougeL(true, false).score("", "anything"));
    }

    /** rouge_score's LCS table and backtrack, as the Java code computed it before (a full int table). */
    private static List<Integer> tableBacktrack(List<String> ref, List<String> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = ref.get(i - 1).equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        List<Integer> idx = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                idx.add(0, i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return idx;
    }

    @Test
    void compactTablePicksTheSameLcsAsTheFullTable() {
        java.util.Random rnd = new java.util.Random(3);
        for (int trial = 0; trial < 3000; trial++) {
            int alphabet = 1 + rnd.nextInt(5); // few distinct tokens: many ties for the backtrack to break
            List<String> ref = randomTokens(rnd, rnd.nextInt(trial < 2500 ? 20 : 200), alphabet);
            List<String> can = randomTokens(rnd, rnd.nextInt(trial < 2500 ? 20 : 200), alphabet);
            assertEquals(tableBacktrack(ref, can), RougeL.lcsIndices(ref, can), ref + " / " + can);
            RougeScore expected = ref.isEmpty() || can.isEmpty() ? RougeScore.ZERO
                    : RougeScore.of((double) tableBacktrack(ref, can).size() / can.size(),
                            (double) tableBacktrack(ref, can).size() / ref.size());
            assertEquals(expected, RougeL.lcsScore(ref, can), ref + " / " + can);
        }
    }

    private static List<String> randomTokens(java.util.Random rnd, int n, int alphabet) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(String.valueOf((char) ('a' + rnd.nextInt(alphabet))));
        return out;
    }

    /** A 600,000-token prediction (about 3.6 MB): the old int table took 1.2 GB, over the tests' 1 GB heap. */
    @Test
    void longPredictionsAreScoredInLittleMemory() {
        StringBuilder reference = new StringBuilder();
        for (int i = 0; i < 500; i++) reference.append("w").append(i % 97).append(' ');
        StringBuilder prediction = new StringBuilder();
        for (int i = 0; i < 600_000; i++) prediction.append("w").append(i % 97).append(' ');
        RougeScore plain = new RougeL(false, false).score(reference.toString(), prediction.toString());
        RougeScore sum = new RougeL(false, true).score(reference.toString(), prediction.toString());
        assertEquals(1.0, plain.recall(), 0.0); // every reference token occurs, in order, in the long prediction
        assertEquals(500.0 / 600_000, plain.precision(), 1e-15);
        assertEquals(plain, sum); // one sentence each: rougeLsum's union is the one LCS
    }

    @Test
    void pairsTooLongToCompareAreRefusedInOneLine() {
        String text = "word ".repeat(50_000);
        RougeL.TooLongException e = org.junit.jupiter.api.Assertions.assertThrows(RougeL.TooLongException.class,
                () -> new RougeL(false, false).score(text, text + "more"));
        assertEquals("Rouge-L of a 50,000-token reference and a 50,001-token prediction needs 2,500,050,000"
                + " comparisons, more than the 2,000,000,000 allowed: shorten the texts (or, for rougeLsum, split them"
                + " into sentences on newlines)", e.getMessage());
        RougeL.TooLongException atFile = org.junit.jupiter.api.Assertions.assertThrows(RougeL.TooLongException.class,
                () -> new RougeLMetric(false).score(List.of(MetricExample.generated("x1", text + "more", text)),
                        MetricOptions.DEFAULT));
        assertEquals("example \"x1\": " + e.getMessage(), atFile.getMessage());
    }
}
