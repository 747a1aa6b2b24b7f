package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDataTest {
    @TempDir Path dir;

    private Fixtures fx() {
        return new Fixtures(dir);
    }

    private Task task(String name, String json) {
        return Fixtures.parser().parse(fx().task(name, json));
    }

    private TaskData load(Task t, String... splits) {
        return TaskData.load(t, fx().data(), List.of(splits));
    }

    private void toyCsv(String train, String test) {
        fx().data("toy/train.csv", "text,intent\n" + train);
        fx().data("toy/test.csv", "text,intent\n" + test);
    }

    @Test
    void labelsFromDataAreSortedAndVerbalised() {
        toyCsv("hi,greet_user\nbye,say_bye\nyo,greet_user\n", "hey,greet_user\n");
        TaskData d = load(task("toy", Fixtures.csvTask("toy", "")));
        assertEquals(List.of("greet_user", "say_bye"), d.labels().raw());
        assertEquals(List.of("greet user", "say bye"), d.labels().options());
        assertEquals(3, d.splits().get("train").counts().kept());
        DialogueExample e = d.splits().get("train").examples().get(0);
        assertEquals("train-0", e.id());
        assertEquals("hi", e.utterance().text());
        assertEquals("greet_user", e.target());
        assertEquals("toy/train.csv:2", e.location());
    }

    @Test
    void labelUnseenInTheLabelSplitIsAnError() {
        toyCsv("hi,greet\nbye,bye\n", "what,ask\n");
        Task t = task("toy", Fixtures.csvTask("toy", ""));
        UserError e = assertThrows(UserError.class, () -> load(t));
        assertEquals(t.file() + ": field \"fields.label\": label \"ask\" at toy/test.csv:2 is not in the labels of split "
                + "\"train\" (\"labels\": \"from_data\") (add it to the label set, or exclude such rows with "
                + "\"where\"/\"where_not\")", e.getMessage());
    }

    @Test
    void labelNotInAFixedSetIsAnError() {
        toyCsv("hi,greet\nbye,leave\n", "x,greet\n");
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("'from_data'", "['greet', 'bye']"));
        UserError e = assertThrows(UserError.class, () -> load(t, "train"));
        assertEquals(t.file() + ": field \"fields.label\": label \"leave\" at toy/train.csv:3 is not in \"labels\" "
                + "(add it to the label set, or exclude such rows with \"where\"/\"where_not\")", e.getMessage());
    }

    @Test
    void missingDataFileNamesTheTaskFileAndWhatToDo() {
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("'from_data'", "['a', 'b']"));
        UserError e = assertThrows(UserError.class, () -> load(t, "test"));
        assertEquals(t.file() + ": split \"test\": data file not found: " + fx().data().resolve("toy/test.csv")
                + " (is --data / DIALTUNE_DATA the right data directory?)", e.getMessage());
    }

    @Test
    void emptyDatasetIsAnError() {
        toyCsv("", "");
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("'from_data'", "['a', 'b']"));
        UserError e = assertThrows(UserError.class, () -> load(t, "test"));
        assertEquals(t.file() + ": split \"test\": no examples from test.csv (0 records, 0 filtered, 0 skipped; "
                + "check \"records\", \"fields\" and filters)", e.getMessage());
    }

    @Test
    void rowsThatCannotBeConvertedAreCountedWithTheirLocation() {
        toyCsv("hi,a\n,b\nonly-one-column\nyo,b\n", "x,a\n");
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("'from_data'", "['a', 'b']"));
        SplitCounts c = load(t, "train").splits().get("train").counts();
        assertEquals(4, c.records());
        assertEquals(2, c.kept());
        assertEquals(2, c.skipped());
        assertEquals(List.of("toy/train.csv:3: field \"fields.utterance\" (text) is empty",
                "toy/train.csv:4: field \"fields.label\" (intent) is missing"), c.firstProblems());
    }

    @Test
    void capKeepsASeededSampleInFileOrder() {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 50; i++) rows.append("u").append(i).append(",").append(i % 2 == 0 ? "a" : "b").append('\n');
        toyCsv(rows.toString(), "x,a\n");
        String json = Fixtures.csvTask("toy", "").replace("'from_data'", "['a', 'b']")
                .replace("'train': 'toy/train.csv'", "'train': {'files': 'toy/train.csv', 'max_examples': 10}");
        SplitData s1 = load(task("toy", json), "train").splits().get("train");
        SplitData s2 = load(task("toy", json), "train").splits().get("train");
        assertEquals(10, s1.examples().size());
        assertEquals(40, s1.counts().capped());
        assertEquals(s1.examples(), s2.examples());
        List<String> ids = s1.examples().stream().map(DialogueExample::id).toList();
        assertEquals(ids.stream().sorted(java.util.Comparator.comparingInt(x -> Integer.parseInt(x.substring(6)))).toList(), ids);
        SplitData other = load(task("toy", json.replace("'labels'", "'sample_seed': 7, 'labels'")), "train").splits().get("train");
        assertTrue(!other.examples().equals(s1.examples()), "another seed gives another sample");
    }

    @Test
    void forEachWithOptionsFromTheData() {
        fx().data("qa/train.json", "[[[\"W: Hi there.\", \"M: Hello!\"], [{\"question\": \"Who greets first?\", "
                + "\"choice\": [\"the woman\", \"the man\"], \"answer\": \"the woman\"}, {\"question\": \"Q2\", "
                + "\"choice\": [\"x\", \"y\"], \"answer\": \"z\"}], \"d-1\"]]");
        Task t = task("qa", "{'name': 'qa', 'family': 'answer_selection', 'type': 'classification', 'metric': 'accuracy',"
                + " 'dataset': 'qa', 'license': 'x', 'reader': 'json', 'splits': {'train': 'qa/train.json'},"
                + " 'for_each': '1', 'fields': {'id': '2', 'context': {'path': '0', 'speaker_prefix': true},"
                + " 'question': '@.question', 'options': '@.choice', 'label': '@.answer'}}");
        TaskData d = load(t);
        assertNull(d.labels());
        SplitData s = d.splits().get("train");
        assertEquals(1, s.examples().size());
        DialogueExample e = s.examples().get(0);
        assertEquals("d-1-0", e.id());
        assertEquals(List.of(new Turn("W", "Hi there."), new Turn("M", "Hello!")), e.context());
        assertEquals(List.of("the woman", "the man"), e.options());
        assertEquals("Who greets first?", e.question());
        assertEquals(1, s.counts().skipped());
        assertEquals("qa/train.json record 0 item 1: label \"z\" is not among the options [x, y]", s.counts().firstProblems().get(0));
    }

    @Test
    void eachTurnGroupsRowsIntoDialoguesAndClassifiesEveryTurn() {
        fx().data("emo/train.csv", "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\n"
                + "\"Second, \"\"really\"\"\nwith a newline\",Ross,joy,0,1\n"
                + "First,Monica,neutral,0,0\n"
                + "Other,Joey,anger,1,0\n");
        Task t = task("emo", "{'name': 'emo', 'family': 'emotion_classification', 'type': 'classification',"
                + " 'metric': 'accuracy', 'dataset': 'emo', 'license': 'x', 'reader': 'csv',"
                + " 'splits': {'train': 'emo/train.csv'}, 'group_by': 'Dialogue_ID', 'order_by': 'Utterance_ID',"
                + " 'each_turn': {}, 'fields': {'id': {'template': 'dia{key}'},"
                + " 'context': {'path': 'rows', 'text': 'Utterance', 'speaker': 'Speaker'}, 'label': '@.Emotion'},"
                + " 'labels': ['neutral', 'joy', 'anger']}");
        List<DialogueExample> ex = load(t).splits().get("train").examples();
        assertEquals(List.of("dia0-0", "dia0-1", "dia1-0"), ex.stream().map(DialogueExample::id).toList());
        assertEquals(List.of(), ex.get(0).context());
        assertEquals(new Turn("Monica", "First"), ex.get(0).utterance());
        assertEquals(List.of(new Turn("Monica", "First")), ex.get(1).context());
        assertEquals(new Turn("Ross", "Second, \"really\"\nwith a newline"), ex.get(1).utterance());
        assertEquals("joy", ex.get(1).target());
    }

    @Test
    void eachTurnGenerationKeepsOnlyChosenSpeakersAndCountsTheRest() {
        fx().data("chat/test.jsonl", "{\"p\": [\"I like tea.\", \"I have a cat.\"], \"conv\": \"User 1: Hi!\\nUser 2: "
                + "Hello.\\nUser 1: Tea?\\nUser 2: Yes please.\"}\n");
        Task t = task("chat", "{'name': 'chat', 'family': 'response_generation', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': 'chat', 'license': 'x', 'reader': 'jsonl', 'splits': {'test': 'chat/test.jsonl'},"
                + " 'each_turn': {'speakers': ['User 2']}, 'fields': {'persona': {'path': 'p', 'join': ' '},"
                + " 'context': {'path': 'conv', 'split': '\\n', 'speaker_prefix': true}}}");
        SplitData s = load(t).splits().get("test");
        assertEquals(2, s.examples().size());
        assertEquals(2, s.counts().filtered());
        DialogueExample last = s.examples().get(1);
        assertEquals("test-1-3", last.id());
        assertEquals("Yes please.", last.target());
        assertEquals(3, last.context().size());
        assertNull(last.utterance());
        assertEquals("I like tea. I have a cat.", last.persona());
    }

    @Test
    void whereFiltersAreCountedAndGlobsReadEveryMatchingFileInOrder() {
        fx().data("g/b_x.csv", "text;intent;keep\nb1;b;yes\nb2;b;no\n");
        fx().data("g/a_x.csv", "text;intent;keep\na1;a;yes\n");
        Task t = task("g", Fixtures.csvTask("g", ", 'format': {'delimiter': ';'}, 'where': {'keep': 'yes'}")
                .replace("{'train': 'toy/train.csv', 'test': 'toy/test.csv'}", "{'train': 'g/*_x.csv'}"));
        SplitData s = load(t).splits().get("train");
        assertEquals(List.of("a_x-0", "b_x-0"), s.examples().stream().map(DialogueExample::id).toList());
        assertEquals(1, s.counts().filtered());
    }

    @Test
    void duplicateIdsAreSkippedAndReported() {
        toyCsv("hi,a\nyo,b\n", "x,a\n");
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("'from_data'", "['a', 'b']")
                .replace("'utterance': 'text'", "'utterance': 'text', 'id': {'value': 'same'}"));
        SplitCounts c = load(t, "train").splits().get("train").counts();
        assertEquals(1, c.kept());
        assertEquals(List.of("toy/train.csv:3: duplicate example id \"same\" (make \"fields.id\" unique or leave it out)"),
                c.firstProblems());
    }

    @Test
    void labelsThatRenderTheSameAreRejected() {
        toyCsv("hi,a_b\nyo,a-b\n", "x,a_b\n");
        Task t = task("toy", Fixtures.csvTask("toy", "").replace("['underscores_to_spaces']",
                "['underscores_to_spaces', 'hyphens_to_spaces']"));
        UserError e = assertThrows(UserError.class, () -> load(t));
        assertEquals(t.file() + ": field \"label_names\": labels \"a-b\" and \"a_b\" both render as \"a b\" "
                + "(give them distinct words)", e.getMessage());
    }

    @Test
    void recordsPathNotFound() {
        fx().data("c/d.json", "{\"train\": [[\"hi\", \"greet\"]]}");
        Task t = task("c", Fixtures.csvTask("c", ", 'records': 'tarin'").replace("'reader': 'csv'", "'reader': 'json'")
                .replace("{'train': 'toy/train.csv', 'test': 'toy/test.csv'}", "{'train': 'c/d.json'}")
                .replace("'utterance': 'text', 'label': 'intent'", "'utterance': '0', 'label': '1'"));
        UserError e = assertThrows(UserError.class, () -> load(t));
        assertEquals("c/d.json: records path \"tarin\" not found (task c, split train; fix \"records\" in " + t.file() + ")",
                e.getMessage());
    }
}
