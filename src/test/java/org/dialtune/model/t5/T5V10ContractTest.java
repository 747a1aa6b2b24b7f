package org.dialtune.model.t5;

import com.google.gson.JsonObject;
import org.dialtune.model.Seq2SeqLmContract;

/**
 * T5 v1.0 meets the family contract: ReLU feed-forward, the head tied to the token table and fed
 * d_model^-0.5-scaled states (transformers' initialisation: embeddings N(0, 1)).
 */
class T5V10ContractTest extends Seq2SeqLmContract {
    @Override
    protected JsonObject tinyConfig() {
        JsonObject c = T5FamilyTest.config("relu");
        c.remove("tie_word_embeddings");
        return c;
    }
}
