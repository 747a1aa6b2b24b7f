package org.dialtune.model.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.Map;
import org.dialtune.model.Precision;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.testing.Close;
import org.junit.jupiter.api.Test;

/**
 * Under fp16 the feed-forward output projections ({@code wo}) keep float32 products, as transformers
 * keeps {@code wo} in float32: with activations that overflow float16 there (as T5's do), the model
 * still gives finite logits close to float32's.
 */
class T5Fp16Test {
    @Test
    void feedForwardOutputStaysFloat32UnderFp16() {
        T5Fixture f = T5Fixture.load(T5Fixture.V1_0);
        try (T5Model model = (T5Model) Checkpoint.load(f.dir);
             NDManager m = model.manager().getParentManager().newSubManager()) {
            // wi outputs in the thousands (float16 holds them), wo weights ~50: wo's sums reach ~1e6 > 65504
            for (Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
                if (e.getKey().endsWith(".wi.weight")) e.getValue().muli(2000f);
                if (T5Layout.isFeedForwardOutput(e.getKey())) e.getValue().muli(100f);
            }
            JsonObject batch = f.batch("batch_1");
            NDArray ids = T5Fixture.ids(m, batch, "input_ids");
            NDArray mask = T5Fixture.ids(m, batch, "attention_mask");
            NDArray decIn = T5Fixture.ids(m, batch, "decoder_input_ids");
            float[] fp32 = Close.values(model.forward(ids, mask, decIn, false));
            model.setPrecision(Precision.FP16);
            float[] fp16 = Close.values(model.forward(ids, mask, decIn, false));
            double scale = 0;
            for (float v : fp32) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 1 && Double.isFinite(scale), "float32 logits: " + scale);
            int finite = 0;
            for (float v : fp16) if (Float.isFinite(v)) finite++;
            assertEquals(fp16.length, finite, "fp16 logits overflowed");
            Close.abs("fp16 vs fp32 logits", toDouble(fp32), fp16, 0.05 * scale);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
