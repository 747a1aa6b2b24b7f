package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code each}/{@code empty} field form (list and object rendering) and ids of same-named files. */
class EachFieldTest {
    @TempDir Path dir;

    private static String stateTask(String target) {
        return "{'name': 'dst', 'family': 'dialogue_state_tracking', 'type': 'generation', 'metric': 'rouge_l',"
                + " 'dataset': 'toy', 'license': 'CC0', 'reader': 'jsonl',"
                + " 'splits': {'train': 'toy/*/train.jsonl'},"
                + " 'fields': {'utterance': 'text', 'target': " + target + "}}";
    }

    private List<String> targets(String target, String data) {
        Fixtures fx = new Fixtures(dir);
        fx.data("toy/a/train.jsonl", data);
        Task t = Fixtures.parser().parse(fx.task("dst", stateTask(target)));
        return TaskData.load(t, fx.data(), List.of()).splits().get("train").examples().stream()
                .map(DialogueExample::target).toList();
    }

    @Test
    void eachRendersListElementsObjectEntriesAndEmptyOrMissingValues() {
        String data = "{\"text\": \"a\", \"s\": [[\"area\", \"east\"], [\"request\", \"phone\"]]}\n"
                + "{\"text\": \"b\", \"s\": []}\n"
                + "{\"text\": \"c\"}\n";
        assertEquals(List.of("area=east, request=phone", "none", "none"),
                targets("{'path': 's', 'each': '{@.0}={@.1}', 'join': ', ', 'empty': 'none'}", data));
        String objects = "{\"text\": \"a\", \"s\": {\"city\": [\"Paris\", \"Paris, FR\"], \"day\": [\"Monday\"]}}\n";
        assertEquals(List.of("city=Paris; day=Monday"),
                targets("{'path': 's', 'each': '{$key}={@.0}', 'join': '; '}", objects));
    }

    @Test
    void aMissingPlaceholderInsideEachSkipsTheRowWithACount() {
        Fixtures fx = new Fixtures(dir);
        fx.data("toy/a/train.jsonl", "{\"text\": \"a\", \"s\": [{\"k\": \"x\"}, {\"v\": \"y\"}]}\n{\"text\": \"b\", \"s\": [{\"k\": \"z\"}]}\n");
        Task t = Fixtures.parser().parse(fx.task("dst", stateTask("{'path': 's', 'each': '{@.k}', 'join': ','}")));
        SplitData d = TaskData.load(t, fx.data(), List.of()).splits().get("train");
        assertEquals(1, d.counts().kept());
        assertEquals(1, d.counts().skipped());
    }

    @Test
    void eachNeedsAPath() {
        Fixtures fx = new Fixtures(dir);
        Path f = fx.task("dst", stateTask("{'template': '{s}', 'each': '{@}'}"));
        UserError e = assertThrows(UserError.class, () -> Fixtures.parser().parse(f));
        assertEquals(f + ": field \"fields.target.each\": only applies together with \"path\"", e.getMessage());
    }

    @Test
    void sameFileNameInTwoFoldersGivesDistinctIds() {
        Fixtures fx = new Fixtures(dir);
        fx.data("toy/a/train.jsonl", "{\"text\": \"a\", \"s\": \"x\"}\n");
        fx.data("toy/b/train.jsonl", "{\"text\": \"b\", \"s\": \"y\"}\n");
        Task t = Fixtures.parser().parse(fx.task("dst", stateTask("'s'")));
        SplitData d = TaskData.load(t, fx.data(), List.of()).splits().get("train");
        assertEquals(List.of("a-train-1", "b-train-1"), d.examples().stream().map(DialogueExample::id).toList());
        assertEquals(0, d.counts().skipped());
    }
}
