package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.train.AdamW;
import org.junit.jupiter.api.Test;

/** Native memory stays flat: a training loop leaves nothing behind in the model's manager. */
class BartMemoryTest {
    @Test
    void liveArraysInTheModelManagerAreConstantAfterTheFirstStep() {
        BartFixture f = BartFixture.load("tiny-bart");
        JsonObject batch = f.batch(0);
        try (BartModel model = (BartModel) Checkpoint.load(f.dir)) {
            NDManager root = model.manager();
            int before = root.getManagedArrays().size();
            AdamW opt = new AdamW(model.setTrainable(n -> true), AdamW.Settings.defaults(new BartFamily()::decays));
            int afterFirst = -1;
            float firstLoss = 0;
            float lastLoss = 0;
            for (int step = 1; step <= 300; step++) {
                try (NDManager m = root.newSubManager()) {
                    NDArray ids = BartFixture.ids(m, batch, "input_ids");
                    NDArray mask = BartFixture.ids(m, batch, "attention_mask");
                    NDArray labels = BartFixture.ids(m, batch, "labels");
                    NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = new TokenCrossEntropy(0.1f).compute(model.forward(ids, mask, decIn, true), labels)
                                .loss();
                        gc.backward(loss);
                        lastLoss = loss.getFloat();
                        if (step == 1) firstLoss = lastLoss;
                    }
                    opt.step(1e-3, m);
                    // decoding in between must not leak either
                    try (DecoderCache cache = model.startDecoding(model.encode(ids, mask, false), mask)) {
                        model.decodeStep(cache, decIn.get(":, 0"));
                    }
                }
                int live = root.getManagedArrays().size();
                if (step == 1) afterFirst = live;
                else assertEquals(afterFirst, live, "live arrays after step " + step);
            }
            // the moments (2 per parameter) are the only additions
            assertEquals(before + 2 * 91, afterFirst);
            assertTrue(lastLoss < firstLoss - 1, "the loop really trains: " + firstLoss + " -> " + lastLoss);
            opt.close();
            assertEquals(before, root.getManagedArrays().size());
        }
    }
}
