package org.dialtune.model.bart;

import com.google.gson.JsonObject;
import org.dialtune.model.Seq2SeqLmContract;

/** BART meets the family contract: a tiny random BART (two layers each, std 0.2 so outputs depend on the input). */
class BartContractTest extends Seq2SeqLmContract {
    @Override
    protected JsonObject tinyConfig() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "bart");
        c.addProperty("vocab_size", 96);
        c.addProperty("d_model", 16);
        c.addProperty("encoder_layers", 2);
        c.addProperty("decoder_layers", 2);
        c.addProperty("encoder_attention_heads", 2);
        c.addProperty("decoder_attention_heads", 4);
        c.addProperty("encoder_ffn_dim", 32);
        c.addProperty("decoder_ffn_dim", 24);
        c.addProperty("max_position_embeddings", 32);
        c.addProperty("init_std", 0.2);
        c.addProperty("scale_embedding", true);
        return c;
    }
}
