package org.dialtune.model.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapters PEFT may write that dialtune does not compute are refused with one line naming the field. */
class PeftAdapterTest {
    @TempDir Path dir;

    private static Path t5Dir() throws URISyntaxException {
        return Path.of(PeftAdapterTest.class.getResource("/org/dialtune/model/t5/t5-v1_1").toURI());
    }

    /** A saved adapter whose config then gets {@code field} set to {@code value} (JSON). */
    private Path adapterWith(String field, String value) throws Exception {
        Path out = dir.resolve(field);
        try (Seq2SeqLm m = Checkpoint.load(t5Dir())) {
            LoraSettings s = new LoraSettings(2, 4, 0, List.of("q"));
            Lora.attach(m, s, Lora.initializer(1), "test");
            PeftAdapter.save(m, s, "base", out);
        }
        JsonObject cfg = Json.parseFile(out.resolve(PeftAdapter.CONFIG)).getAsJsonObject();
        cfg.add(field, com.google.gson.JsonParser.parseString(value));
        Files.writeString(out.resolve(PeftAdapter.CONFIG), cfg.toString());
        return out;
    }

    @Test
    void unsupportedPeftSettingsAreRefusedNamingTheField() throws Exception {
        String[][] cases = {
                {"use_dora", "true", "is true: DoRA adapters are not supported"},
                {"use_rslora", "true", "is true: rsLoRA scaling is not supported"},
                {"bias", "\"all\"", "is \"all\"; only \"none\" is supported"},
                {"rank_pattern", "{\"q\": 4}", "per-module ranks and alphas are not supported (one r and lora_alpha for all)"},
                {"modules_to_save", "[\"lm_head\"]", "is set; dialtune loads plain LoRA adapters only (set it to null)"},
                {"target_modules", "\".*q\"", "must be a list of module names (a regular expression is not supported)"},
                {"peft_type", "\"IA3\"", "is \"IA3\"; only LORA adapters are supported"},
        };
        for (String[] c : cases) {
            Path a = adapterWith(c[0], c[1]);
            UserError e = assertThrows(UserError.class, () -> PeftAdapter.readSettings(a));
            assertEquals(a.resolve(PeftAdapter.CONFIG) + ": field \"" + c[0] + "\" " + c[2], e.getMessage());
        }
    }

    @Test
    void anAdapterOfAnotherShapeOrModelIsRefused() throws Exception {
        Path a = adapterWith("r", "3"); // the tensors are rank 2
        try (Seq2SeqLm m = Checkpoint.load(t5Dir())) {
            UserError e = assertThrows(UserError.class, () -> PeftAdapter.load(m, a));
            assertTrue(e.getMessage().startsWith(a.resolve(PeftAdapter.WEIGHTS) + ": tensor \"base_model.model.encoder.block.0"
                    + ".layer.0.SelfAttention.q.lora_A.weight\": shape [2, 32] does not fit the model and r = 3 (expected [3, 32])"),
                    e.getMessage());
            assertTrue(m.projections().adapterTensors().isEmpty(), "nothing half-attached");
        }
        Path v = adapterWith("target_modules", "[\"v\"]"); // the file holds q's tensors
        try (Seq2SeqLm m = Checkpoint.load(t5Dir())) {
            UserError e = assertThrows(UserError.class, () -> PeftAdapter.load(m, v));
            assertTrue(e.getMessage().contains("SelfAttention.v.lora_A.weight\" missing"), e.getMessage());
        }
    }

    @Test
    void notAnAdapterDirectory() throws IOException {
        UserError e = assertThrows(UserError.class, () -> PeftAdapter.readSettings(dir));
        assertEquals(dir + ": not an adapter directory (no adapter_config.json; PEFT's save_pretrained writes one)",
                e.getMessage());
    }
}
