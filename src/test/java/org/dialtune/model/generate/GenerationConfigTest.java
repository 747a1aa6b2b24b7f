package org.dialtune.model.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {
    @TempDir
    Path dir;

    private ModelConfig config(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json.replaceFirst("\\{", "{\"model_type\": \"bart\", "));
        return ModelFamilies.readConfig(dir);
    }

    @Test
    void tinyBartDefaultsComeFromItsConfigAndGenerationConfig() {
        Path model = SharedData.require("models/tiny-bart");
        GenerationConfig g = GenerationConfig.forModel(ModelFamilies.readConfig(model), model);
        assertEquals(new GenerationConfig(21, 0, 4, 1.0, GenerationConfig.EarlyStopping.TRUE, 0, 0, 2, 2, 2, 1,
                "transformers' default of 20 new tokens, max_length"), g);
    }

    @Test
    void generationConfigJsonReplacesConfigJson() throws IOException {
        ModelConfig c = config("{\"vocab_size\": 10, \"d_model\": 4, \"encoder_attention_heads\": 1,"
                + " \"decoder_attention_heads\": 1, \"max_length\": 30, \"num_beams\": 2, \"length_penalty\": 2.0}");
        GenerationConfig fromConfig = GenerationConfig.forModel(c, dir);
        assertEquals(30, fromConfig.maxLength());
        assertEquals("max_length in config.json", fromConfig.maxLengthOrigin());
        assertEquals(2, fromConfig.numBeams());
        assertEquals(2.0, fromConfig.lengthPenalty());
        assertEquals(GenerationConfig.EarlyStopping.FALSE, fromConfig.earlyStopping(), "HF default");
        Files.writeString(dir.resolve("generation_config.json"), "{\"max_length\": 62, \"num_beams\": 5,"
                + " \"early_stopping\": \"never\", \"forced_bos_token_id\": null, \"no_repeat_ngram_size\": 3}");
        GenerationConfig g = GenerationConfig.forModel(c, dir);
        assertEquals(62, g.maxLength());
        assertEquals("max_length in generation_config.json", g.maxLengthOrigin());
        assertEquals(5, g.numBeams());
        assertEquals(GenerationConfig.EarlyStopping.NEVER, g.earlyStopping());
        assertEquals(-1, g.forcedBosTokenId());
        assertEquals(-1, g.forcedEosTokenId(), "not in generation_config.json: transformers 5 forces none");
        assertEquals(3, g.noRepeatNgramSize());
        assertEquals(1.0, g.lengthPenalty(), "config.json's 2.0 is ignored once generation_config.json exists");
        assertEquals(11, g.withMaxNewTokens(10, "x").maxLength(), "max_length counts the decoder start token");
    }

    /** What transformers 5.18 loaded from these two files (model.generation_config, checked by hand). */
    @Test
    void withoutAnyLengthTransformersGeneratesTwentyNewTokensWithinThePositions() throws IOException {
        ModelConfig c = config("{\"vocab_size\": 10, \"d_model\": 4, \"encoder_attention_heads\": 1,"
                + " \"decoder_attention_heads\": 1, \"length_penalty\": 2.0, \"forced_bos_token_id\": 0}");
        GenerationConfig fromConfig = GenerationConfig.forModel(c, dir);
        assertEquals(21, fromConfig.maxLength(), "20 new tokens after the decoder start token");
        assertEquals(20, fromConfig.withMaxNewTokens(19, "x").maxLength());
        assertEquals(2.0, fromConfig.lengthPenalty());
        assertEquals(0, fromConfig.forcedBosTokenId());
        assertEquals(-1, fromConfig.forcedEosTokenId(), "absent from config.json: none (BartConfig's 2 is not read)");
        ModelConfig shortPositions = config("{\"vocab_size\": 10, \"d_model\": 4, \"encoder_attention_heads\": 1,"
                + " \"decoder_attention_heads\": 1, \"max_position_embeddings\": 16}");
        assertEquals(16, GenerationConfig.forModel(shortPositions, dir).maxLength(), "capped at the positions");
    }

    @Test
    void badValuesNameTheFileAndField() throws IOException {
        ModelConfig c = config("{\"vocab_size\": 10, \"d_model\": 4, \"encoder_attention_heads\": 1,"
                + " \"decoder_attention_heads\": 1}");
        Path gen = dir.resolve("generation_config.json");
        Files.writeString(gen, "{\"early_stopping\": \"sometimes\"}");
        UserError e = assertThrows(UserError.class, () -> GenerationConfig.forModel(c, dir));
        assertEquals(gen + ": field \"early_stopping\" must be true, false or \"never\", got \"sometimes\"", e.getMessage());
        Files.writeString(gen, "{\"max_length\": 2.5}");
        e = assertThrows(UserError.class, () -> GenerationConfig.forModel(c, dir));
        assertEquals(gen + ": field \"max_length\" must be an integer, got 2.5", e.getMessage());
        Files.writeString(gen, "{\"max_length\": 1}");
        e = assertThrows(UserError.class, () -> GenerationConfig.forModel(c, dir));
        assertEquals(gen + ": max length 1 leaves no room to generate: use at least 2", e.getMessage());
    }
}
