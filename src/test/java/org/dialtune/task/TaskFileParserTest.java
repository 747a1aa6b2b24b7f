package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFileParserTest {
    @TempDir Path dir;

    private Fixtures fx() {
        return new Fixtures(dir);
    }

    private String error(String name, String json) {
        Path f = fx().task(name, json);
        UserError e = assertThrows(UserError.class, () -> Fixtures.parser().parse(f));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().replace(f.toString(), "FILE");
    }

    @Test
    void parsesAValidTask() {
        Task t = Fixtures.parser().parse(fx().task("toy", Fixtures.csvTask("toy", ", 'answer_template': 'It is {answer}.'")));
        assertEquals("toy", t.name());
        assertEquals(TaskType.CLASSIFICATION, t.type());
        assertEquals(java.util.List.of("train", "test"), java.util.List.copyOf(t.splits().keySet()));
        assertEquals("It is card arrival.", t.fillTemplate("card arrival"));
        assertEquals("It is {answer}.", t.answerTemplate());
        assertEquals("train", t.labels().fromSplit());
        assertEquals("card arrival", t.labels().verbal("card_arrival"));
    }

    @Test
    void theTagDefaultsToTheFamilyInWordsAndMustBeShortAndOneLine() {
        assertEquals("intent classification", Fixtures.parser().parse(fx().task("toy", Fixtures.csvTask("toy", ""))).tag());
        assertEquals("bank intent", Fixtures.parser().parse(fx().task("toy", Fixtures.csvTask("toy", ", 'tag': 'bank intent'"))).tag());
        assertEquals("FILE: field \"tag\": \"a\\nb\" is not a short one-line task tag (at most 60 characters, e.g. \"topic"
                + " generation\")", error("toy", Fixtures.csvTask("toy", ", 'tag': 'a\\nb'")).replace("\n", "\\n"));
        assertTrue(error("toy", Fixtures.csvTask("toy", ", 'tag': '" + "x".repeat(61) + "'")).contains("not a short one-line task tag"));
    }

    @Test
    void malformedJsonNamesFileAndPosition() {
        String m = error("toy", "{'name': 'toy',");
        assertTrue(m.startsWith("FILE: not valid JSON: "), m);
    }

    @Test
    void unknownFieldIsRejectedWithTheAllowedOnes() {
        String m = error("toy", Fixtures.csvTask("toy", ", 'lables': ['a', 'b']"));
        assertTrue(m.startsWith("FILE: field \"lables\": unknown field (allowed here: name, family, tag, type, metric,"), m);
    }

    @Test
    void unknownFieldInsideFields() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'label': 'intent'", "'label': 'intent', 'utterence': 'x'"));
        assertEquals("FILE: field \"fields.utterence\": unknown field (allowed here: id, context, utterance, speaker, "
                + "response, knowledge, persona, document, question, options, target, label)", m);
    }

    @Test
    void unknownMetric() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'accuracy'", "'bleu'"));
        assertEquals("FILE: field \"metric\": unknown metric \"bleu\" (use one of: accuracy, rouge_l, rouge_lsum)", m);
    }

    @Test
    void metricMustFitTheType() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'accuracy'", "'rouge_l'"));
        assertEquals("FILE: field \"metric\": \"rouge_l\" does not score classification tasks (use accuracy)", m);
    }

    @Test
    void nameMustMatchFileName() {
        String m = error("other", Fixtures.csvTask("toy", ""));
        assertEquals("FILE: field \"name\": \"toy\" differs from the file name (rename the file to toy.json)", m);
    }

    @Test
    void missingRequiredField() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'dataset': 'toy', ", ""));
        assertEquals("FILE: field \"dataset\": missing (it is required)", m);
    }

    @Test
    void templateWithoutPlaceholder() {
        String m = error("toy", Fixtures.csvTask("toy", ", 'answer_template': 'The answer'"));
        assertEquals("FILE: field \"answer_template\": must contain {answer} exactly once, e.g. \"The intent is {answer}.\"", m);
    }

    @Test
    void unknownReaderListsKnownOnes() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'reader': 'csv'", "'reader': 'xml'"));
        assertEquals("FILE: field \"reader\": unknown reader \"xml\" (use one of: csv, dealornodeal, json, jsonl)", m);
    }

    @Test
    void unknownReaderOption() {
        String m = error("toy", Fixtures.csvTask("toy", ", 'format': {'separator': ';'}"));
        assertEquals("FILE: field \"format.separator\": unknown field (allowed here: delimiter, quote, header, lenient_encoding, html_entities)", m);
    }

    @Test
    void unknownVerbalizeTransform() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'underscores_to_spaces'", "'titlecase'"));
        assertTrue(m.startsWith("FILE: field \"verbalize\": unknown transform \"titlecase\" (use: underscores_to_spaces,"), m);
    }

    @Test
    void itemPathsNeedAnExpansion() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace("'label': 'intent'", "'label': '@.intent'"));
        assertEquals("FILE: field \"fields.label\": paths starting with @ need \"for_each\" or \"each_turn\"", m);
    }

    @Test
    void generationTaskHasNoLabels() {
        String json = Fixtures.csvTask("toy", "").replace("'classification'", "'generation'")
                .replace("'accuracy'", "'rouge_l'").replace("'label': 'intent'", "'target': 'intent'");
        String m = error("toy", json);
        assertEquals("FILE: field \"labels\": only classification tasks have labels", m);
    }

    @Test
    void classificationNeedsALabelSource() {
        String m = error("toy", Fixtures.csvTask("toy", "").replace(", 'labels': 'from_data'", ""));
        assertEquals("FILE: field \"labels\": missing: give the label list, \"from_data\", or set \"fields.options\"", m);
    }

    @Test
    void labelNamesMustNameKnownLabels() {
        String m = error("toy", Fixtures.csvTask("toy", ", 'label_names': {'x': 'ex'}").replace("'from_data'", "['a', 'b']"));
        assertEquals("FILE: field \"label_names\": \"x\" is not one of \"labels\"", m);
    }

    @Test
    void splitsAcceptStringsListsAndObjects() {
        Task t = Fixtures.parser().parse(fx().task("toy", Fixtures.csvTask("toy", "").replace(
                "{'train': 'toy/train.csv', 'test': 'toy/test.csv'}",
                "{'train': {'files': 'toy/*.csv', 'max_examples': 5}, 'test': ['a.csv', 'b.csv']}")));
        assertEquals(5, t.splits().get("train").maxExamples());
        assertEquals(java.util.List.of("a.csv", "b.csv"), t.splits().get("test").files());
        assertNull(t.splits().get("test").records());
    }

    @Test
    void whereWithItemPathNeedsAnExpansion() {
        String m = error("toy", Fixtures.csvTask("toy", ", 'where_not': {'@.x': 'y'}"));
        assertEquals("FILE: field \"where_not\": path \"@.x\" starts with @ but there is no \"for_each\" or \"each_turn\"", m);
    }

    @Test
    void badRecordsPath() {
        assertEquals("FILE: field \"records\": empty segment in path \"a..b\"",
                error("toy", Fixtures.csvTask("toy", ", 'records': 'a..b'")));
    }

    @Test
    void optionsFromDataCannotBeRenamed() {
        String json = Fixtures.csvTask("toy", "").replace("'label': 'intent'", "'label': '@.a', 'options': '@.o'")
                .replace(", 'labels': 'from_data'", ", 'for_each': 'q'");
        assertEquals("FILE: field \"verbalize\": only applies to a label set; options from \"fields.options\" are shown "
                + "as they are", error("toy", json));
    }
}
