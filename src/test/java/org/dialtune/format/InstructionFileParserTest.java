package org.dialtune.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.task.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructionFileParserTest {
    @TempDir Path dir;

    private String error(String content) {
        Path f = Fixtures.write(dir.resolve("toy.json"), content.replace('\'', '"'));
        return assertThrows(UserError.class, () -> InstructionFileParser.parse(f)).getMessage().replace(f.toString(), "FILE");
    }

    @Test
    void parsesWordingsInOrder() {
        Path f = new Fixtures(dir).instructions("toy", 4);
        InstructionSet s = InstructionFileParser.parse(f);
        assertEquals(List.of("w0", "w1", "w2", "w3"), s.instructions().stream().map(Instruction::id).toList());
        assertEquals("Do task toy way 2.", s.get("w2").text());
        UserError e = assertThrows(UserError.class, () -> s.get("zz"));
        assertEquals(f + ": task \"toy\" has no instruction \"zz\" (ids: w0, w1, w2, w3)", e.getMessage());
    }

    @Test
    void tooFewWordings() {
        assertEquals("FILE: field \"instructions\": has 2 wordings; give between 3 and 10",
                error("{'task': 'toy', 'instructions': [{'id': 'a', 'text': 'A'}, {'id': 'b', 'text': 'B'}]}"));
    }

    @Test
    void duplicateIds() {
        assertEquals("FILE: field \"instructions.2.id\": \"a\" is used twice (ids must be unique)",
                error("{'task': 'toy', 'instructions': [{'id': 'a', 'text': 'A'}, {'id': 'b', 'text': 'B'},"
                        + " {'id': 'a', 'text': 'C'}]}"));
    }

    @Test
    void unknownFieldInAWording() {
        assertEquals("FILE: field \"instructions.0.txt\": unknown field (allowed here: id, text)",
                error("{'task': 'toy', 'instructions': [{'id': 'a', 'txt': 'A', 'text': 'x'}, {'id': 'b', 'text': 'B'},"
                        + " {'id': 'c', 'text': 'C'}]}"));
    }

    @Test
    void taskMustMatchFileName() {
        assertEquals("FILE: field \"task\": \"other\" differs from the file name (rename the file to other.json)",
                error("{'task': 'other', 'instructions': []}"));
    }

    @Test
    void libraryNeedsAFileForEveryTaskAndATaskForEveryFile() {
        Fixtures fx = new Fixtures(dir);
        fx.instructions("a", 3);
        fx.instructions("ghost", 3);
        InstructionLibrary lib = InstructionLibrary.load(List.of(fx.instructions()), List.of("a", "b"));
        assertEquals(List.of(
                fx.instructions().resolve("ghost.json") + ": field \"task\": no task named \"ghost\" (add tasks/ghost.json "
                        + "or delete this file)",
                fx.instructions() + "/b.json: file not found (every task needs 3 to 10 instruction wordings)"),
                lib.errors());
    }
}
