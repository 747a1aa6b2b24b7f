package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.testing.Close;
import org.dialtune.train.AdamW;
import org.dialtune.train.Gradients;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Backward pass and one AdamW step against the reference fixtures ("training" block). */
class BartTrainingParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-bart", "tiny-bart-std0.2"})
    void gradientsAndAdamWStepMatchReference(String name) {
        BartFixture f = BartFixture.load(name);
        JsonObject tr = f.training();
        JsonObject batch = f.batch(0);
        try (BartModel model = (BartModel) Checkpoint.load(f.dir);
             NDManager m = model.manager().getParentManager().newSubManager()) {
            Map<String, NDArray> params = model.setTrainable(n -> true);
            assertEquals(tr.get("num_trainable_tensors").getAsInt(), params.size());
            assertEquals(tr.get("num_trainable_parameters").getAsLong(),
                    params.values().stream().mapToLong(a -> a.getShape().size()).sum());
            NDArray ids = BartFixture.ids(m, batch, "input_ids");
            NDArray mask = BartFixture.ids(m, batch, "attention_mask");
            NDArray labels = BartFixture.ids(m, batch, "labels");
            NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new TokenCrossEntropy(0f).compute(model.forward(ids, mask, decIn, true), labels).loss();
                Close.rel(name + " loss", tr.get("loss").getAsDouble(), loss.getFloat(), 1e-5, 0);
                gc.backward(loss);
            }
            Map<String, NDArray> grads = Gradients.of(params, m);
            for (Map.Entry<String, JsonElement> e : tr.getAsJsonObject("all_grad_l2_norms").entrySet()) {
                double norm = Math.sqrt(grads.get(e.getKey()).square().sum().getFloat());
                // k_proj.bias gradients are mathematically zero: their stored norms are rounding noise
                Close.rel(name + " grad norm " + e.getKey(), e.getValue().getAsDouble(), norm, 1e-4, 1e-6);
            }
            assertEquals(91, tr.getAsJsonObject("all_grad_l2_norms").size());
            Close.rel(name + " global grad norm", tr.get("global_grad_l2_norm").getAsDouble(),
                    Gradients.globalNorm(grads), 1e-4, 0);
            double padRow = Math.sqrt(grads.get(BartLayout.SHARED).get("1").square().sum().getFloat());
            Close.rel(name + " pad row grad", tr.get("shared_pad_row_grad_l2_norm").getAsDouble(), padRow, 1e-4, 1e-7);
            JsonObject named = tr.getAsJsonObject("named_grads");
            for (Map.Entry<String, JsonElement> e : named.entrySet()) {
                JsonObject g = e.getValue().getAsJsonObject();
                float[] first8 = java.util.Arrays.copyOf(Close.values(grads.get(e.getKey()).flatten()), 8);
                double scale = g.get("grad_l2_norm").getAsDouble();
                Close.abs(name + " grad first 8 " + e.getKey(), Close.flat(g.get("grad_first_8")), first8,
                        Math.max(1e-4 * scale, 1e-9));
                double absSum = grads.get(e.getKey()).abs().sum().getFloat();
                Close.rel(name + " grad abs sum " + e.getKey(), g.get("grad_abs_sum").getAsDouble(), absSum, 1e-4, 0);
            }
            JsonObject opt = tr.getAsJsonObject("optimizer");
            AdamW.Settings settings = new AdamW.Settings(opt.getAsJsonArray("betas").get(0).getAsDouble(),
                    opt.getAsJsonArray("betas").get(1).getAsDouble(), opt.get("eps").getAsDouble(),
                    opt.get("weight_decay").getAsDouble(), n -> true); // the fixture decays every parameter
            try (AdamW adamw = new AdamW(params, settings)) {
                adamw.step(opt.get("lr").getAsDouble(), m);
                for (Map.Entry<String, JsonElement> e : named.entrySet()) {
                    JsonObject g = e.getValue().getAsJsonObject();
                    NDArray p = params.get(e.getKey());
                    float[] first8 = java.util.Arrays.copyOf(Close.values(p.flatten()), 8);
                    Close.abs(name + " param after step " + e.getKey(),
                            Close.flat(g.get("param_after_step_first_8")), first8, 1e-6);
                    double sum = 0;
                    for (float x : Close.values(p)) sum += x;
                    Close.rel(name + " param sum after step " + e.getKey(), g.get("param_after_step_sum").getAsDouble(),
                            sum, 1e-5, 1e-4);
                }
                NDArray logits = model.forward(ids, mask, decIn, false);
                NDArray loss = new TokenCrossEntropy(0f).compute(logits, labels).loss();
                Close.rel(name + " loss after step", tr.get("loss_after_one_adamw_step").getAsDouble(),
                        loss.getFloat(), 1e-5, 0);
                LogitChecks.checksums(name + " logits after step", tr.getAsJsonObject(
                        "logits_after_one_adamw_step_checksums"), Close.values(logits));
                // gradients are cleared by the step
                assertEquals(0f, Gradients.of(params, m).get(BartLayout.SHARED).abs().sum().getFloat());
            }
        }
    }
}
