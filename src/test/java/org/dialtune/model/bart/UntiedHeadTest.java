package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.checkpoint.SafeTensorsFile;
import org.dialtune.model.checkpoint.SafeTensorsWriter;
import org.dialtune.testing.SharedData;
import org.dialtune.train.Gradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tie_word_embeddings: false} (transformers 5 semantics): the encoder's and decoder's token
 * tables and the LM head are their own tensors, computed with, trained, saved and loaded as such.
 */
class UntiedHeadTest {
    @TempDir
    Path tmp;

    private static JsonObject config(boolean tied) {
        JsonObject json = Json.parseFile(SharedData.require("models/tiny-bart-std0.2/config.json")).getAsJsonObject();
        json.addProperty("tie_word_embeddings", tied);
        return json;
    }

    /** An untied model whose three tables are copies of tiny-bart-std0.2's shared one, the head scaled. */
    private static BartModel untiedCopy(BartModel tied, float headScale) {
        Map<String, NDArray> t = tied.tensors();
        return BartModel.create(BartConfig.fromJson(config(false)), Device.cpu(), (name, shape) -> {
            boolean table = BartLayout.TIED_ALIASES.contains(name);
            NDArray a = t.get(table ? BartLayout.SHARED : name);
            if (name.equals(BartLayout.LM_HEAD)) {
                try (NDArray scaled = a.mul(headScale)) {
                    return copy(scaled.toByteBuffer());
                }
            }
            return copy(a.toByteBuffer());
        });
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.allocateDirect(b.remaining()).order(b.order()).put(b).flip();
    }

    private static float[] logits(BartModel model, NDManager m) {
        NDArray ids = m.create(new long[][] {{0, 713, 16, 10, 1296, 2}});
        NDArray dec = m.create(new long[][] {{2, 0, 713, 16}});
        return model.forward(ids, ids.onesLike(), dec, false).toFloatArray();
    }

    @Test
    void theHeadIsItsOwnTensorAndIsUsed() {
        try (BartModel tied = (BartModel) Checkpoint.load(SharedData.require("models/tiny-bart-std0.2"));
             BartModel same = untiedCopy(tied, 1f);
             BartModel scaled = untiedCopy(tied, 2f);
             NDManager m = NDManager.newBaseManager()) {
            assertEquals(92 + 3, same.tensors().size());
            float[] reference = logits(tied, m);
            assertArrayEquals(reference, logits(same, m), 0f, "untied copies of the tied tables: same logits");
            float[] doubled = logits(scaled, m);
            double maxDiff = 0;
            for (int i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(doubled[i] - reference[i]));
            assertTrue(maxDiff > 0.1, "a different head changes the logits: " + maxDiff);
        }
    }

    @Test
    void theUntiedTablesAreTrainedAndTheUnusedSharedOneIsNot() {
        try (BartModel model = BartInitializer.random(BartConfig.fromJson(config(false)), Device.cpu(), 3);
             NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = model.setTrainable(n -> true);
            assertFalse(params.containsKey(BartLayout.SHARED));
            assertTrue(params.keySet().containsAll(Set.of(BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED,
                    BartLayout.LM_HEAD)));
            NDArray ids = m.create(new long[][] {{0, 713, 16, 10, 2}});
            NDArray labels = m.create(new long[][] {{0, 713, 2}});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray dec = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
                gc.backward(new TokenCrossEntropy(0f).compute(model.forward(ids, ids.onesLike(), dec, true), labels)
                        .loss());
            }
            Map<String, NDArray> grads = Gradients.of(params, m);
            for (String n : List.of(BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED, BartLayout.LM_HEAD)) {
                assertTrue(grads.get(n).abs().sum().getFloat() > 0, n + " gets a gradient");
            }
            // the encoder's table gets gradient only in the rows of the source's tokens
            assertEquals(0f, grads.get(BartLayout.ENCODER_EMBED).get("100").abs().sum().getFloat());
        }
    }

    @Test
    void savedUntiedModelReloadsWithEveryTable() throws IOException {
        Path dir = tmp.resolve("untied");
        try (BartModel model = BartInitializer.random(BartConfig.fromJson(config(false)), Device.cpu(), 4);
             NDManager m = NDManager.newBaseManager()) {
            Checkpoint.save(model, dir, null);
            try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve("model.safetensors"))) {
                assertTrue(f.tensors().keySet().containsAll(BartLayout.TIED_ALIASES));
            }
            try (BartModel back = (BartModel) Checkpoint.load(dir)) {
                assertFalse(back.config().tieWordEmbeddings);
                for (String n : model.tensors().keySet()) {
                    assertArrayEquals(model.tensors().get(n).toFloatArray(), back.tensors().get(n).toFloatArray(), 0f, n);
                }
                assertArrayEquals(logits(model, m), logits(back, m), 0f);
                // pad rows of the token tables start at zero (HF nn.Embedding(padding_idx)), the head's does not
                assertEquals(0f, back.tensors().get(BartLayout.ENCODER_EMBED).get("1").abs().sum().getFloat());
                assertTrue(back.tensors().get(BartLayout.LM_HEAD).get("1").abs().sum().getFloat() > 0);
            }
        }
    }

    @Test
    void transformers4CheckpointsKeepOneTokenTable() throws IOException {
        Path dir = tmp.resolve("v4");
        try (BartModel model = BartInitializer.random(BartConfig.fromJson(config(false)), Device.cpu(), 5)) {
            Checkpoint.save(model, dir, null);
            rewrite(dir, Set.of(BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED));
            try (BartModel back = (BartModel) Checkpoint.load(dir)) {
                float[] shared = model.tensors().get(BartLayout.SHARED).toFloatArray();
                assertArrayEquals(shared, back.tensors().get(BartLayout.ENCODER_EMBED).toFloatArray(), 0f);
                assertArrayEquals(shared, back.tensors().get(BartLayout.DECODER_EMBED).toFloatArray(), 0f);
                assertArrayEquals(model.tensors().get(BartLayout.LM_HEAD).toFloatArray(),
                        back.tensors().get(BartLayout.LM_HEAD).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void aHeadThatATiedConfigWouldIgnoreIsRefused() throws IOException {
        Path dir = tmp.resolve("mismatch");
        try (BartModel model = BartInitializer.random(BartConfig.fromJson(config(false)), Device.cpu(), 6)) {
            Checkpoint.save(model, dir, null);
        }
        JsonObject tied = config(true);
        Files.writeString(dir.resolve("config.json"), Json.PRETTY.toJson(tied));
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor \"model.encoder.embed_tokens.weight\" differs from "
                + "\"model.shared.weight\" but config.json has \"tie_word_embeddings\": true, which would ignore it: set "
                + "it to false to use the tensor, or drop the tensor", e.getMessage());
    }

    @Test
    void anUntiedConfigNeedsItsHead() throws IOException {
        Path dir = tmp.resolve("headless");
        try (BartModel model = BartInitializer.random(BartConfig.fromJson(config(false)), Device.cpu(), 7)) {
            Checkpoint.save(model, dir, null);
        }
        rewrite(dir, Set.of(BartLayout.LM_HEAD));
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor \"lm_head.weight\" missing (the weights do not match "
                + "config.json, whose \"tie_word_embeddings\" is false: an untied model needs its own LM head; set it to "
                + "true if the head is \"model.shared.weight\")", e.getMessage());
    }

    /** Rewrites a checkpoint's weights without {@code drop}. */
    private static void rewrite(Path dir, Set<String> drop) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            f.tensors().forEach((n, info) -> {
                if (drop.contains(n)) return;
                ByteBuffer data = copy(f.readFloat32(n));
                entries.put(n, new SafeTensorsWriter.Entry(info.shape(), () -> data));
            });
        }
        Path tmpFile = dir.resolve("rewritten.safetensors");
        SafeTensorsWriter.write(tmpFile, entries);
        Files.move(tmpFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
