package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.train.AdamW;
import org.junit.jupiter.api.Test;

/** Choosing trainable parameters by HF name: bias-only training touches nothing else. */
class FreezingTest {
    @Test
    void biasOnlyTrainingChangesOnlyBiases() {
        BartFixture f = BartFixture.load("tiny-bart");
        JsonObject batch = f.batch(0);
        try (BartModel model = (BartModel) Checkpoint.load(f.dir);
             NDManager m = model.manager().getParentManager().newSubManager()) {
            Map<String, float[]> before = new HashMap<>();
            model.tensors().forEach((n, a) -> before.put(n, a.toFloatArray()));
            Map<String, NDArray> trainable = model.setTrainable(BartLayout::isBias);
            assertEquals(2 * 8 + 2 * 13 + 2, trainable.size()); // per enc/dec layer 8/13 biases, 2 embedding LNs
            assertEquals(model.parameters().keySet().stream().filter(BartLayout::isBias).count(), trainable.size());
            NDArray ids = BartFixture.ids(m, batch, "input_ids");
            NDArray mask = BartFixture.ids(m, batch, "attention_mask");
            NDArray labels = BartFixture.ids(m, batch, "labels");
            NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new TokenCrossEntropy(0f).compute(model.forward(ids, mask, decIn, true), labels).loss());
            }
            try (AdamW opt = new AdamW(trainable, AdamW.Settings.defaults(new BartFamily()::decays))) {
                opt.step(1e-3, m);
            }
            model.tensors().forEach((n, a) -> {
                boolean same = java.util.Arrays.equals(before.get(n), a.toFloatArray());
                if (trainable.containsKey(n) && !n.contains("k_proj")) assertFalse(same, n + " should have moved");
                if (!trainable.containsKey(n)) assertArrayEquals(before.get(n), a.toFloatArray(), n + " is frozen");
            });
        }
    }
}
