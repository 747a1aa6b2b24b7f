package org.dialtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFamiliesTest {
    @Test
    void aConfigIsReadByTheFamilyItsModelTypeNames() {
        ModelConfig c = ModelFamilies.readConfig(SharedData.require("models/tiny-bart"));
        assertEquals("bart", c.modelType());
        assertEquals("bart", ModelFamilies.of(c).modelType());
        assertEquals(List.of("bart", "t5"), List.copyOf(ModelFamilies.known()));
    }

    @Test
    void anUnknownModelTypeNamesTheFileTheFieldAndTheKnownTypes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"model_type\": \"gpt2\", \"vocab_size\": 10}");
        UserError e = assertThrows(UserError.class, () -> ModelFamilies.readConfig(dir));
        assertEquals(f + ": field \"model_type\" is \"gpt2\", which dialtune does not run (known: bart, t5)", e.getMessage());
        Files.writeString(f, "{\"vocab_size\": 10}");
        e = assertThrows(UserError.class, () -> ModelFamilies.readConfig(f));
        assertEquals(f + ": field \"model_type\" missing (Hugging Face configs name their family; known: bart, t5)",
                e.getMessage());
    }
}
