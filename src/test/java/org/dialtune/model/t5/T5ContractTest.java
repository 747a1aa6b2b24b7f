package org.dialtune.model.t5;

import com.google.gson.JsonObject;
import org.dialtune.model.Seq2SeqLmContract;

/**
 * T5 v1.1 meets the family contract: a tiny random model with a gated-GELU feed-forward, its own head,
 * 2 encoder and 3 decoder blocks, and 4 heads of 8 (inner width 32 != d_model 24).
 */
class T5ContractTest extends Seq2SeqLmContract {
    @Override
    protected JsonObject tinyConfig() {
        JsonObject c = T5FamilyTest.config("gated-gelu");
        c.addProperty("d_model", 24);
        return c;
    }
}
