package org.dialtune.model.bart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.dialtune.model.DecoderCache;
import org.dialtune.model.TokenCrossEntropy;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.testing.Close;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward pass, loss and incremental decoding against the PyTorch reference fixtures of both tiny
 * checkpoints, at the tolerances their README recommends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BartModelParityTest {
    private final java.util.Map<String, BartModel> models = new java.util.HashMap<>();

    private BartModel model(BartFixture f) {
        return models.computeIfAbsent(f.dir.toString(), k -> (BartModel) Checkpoint.load(f.dir));
    }

    @AfterAll
    void close() {
        models.values().forEach(BartModel::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bart", "tiny-bart-std0.2"})
    void forwardMatchesReference(String name) {
        BartFixture f = BartFixture.load(name);
        BartModel model = model(f);
        for (int bi = 0; bi < f.batches().size(); bi++) {
            JsonObject batch = f.batch(bi);
            JsonObject exp = batch.getAsJsonObject("expected");
            String tag = name + " " + batch.get("name").getAsString();
            try (NDManager m = model.manager().getParentManager().newSubManager()) {
                NDArray ids = BartFixture.ids(m, batch, "input_ids");
                NDArray mask = BartFixture.ids(m, batch, "attention_mask");
                NDArray labels = BartFixture.ids(m, batch, "labels");
                NDArray decIn = TokenCrossEntropy.shiftTokensRight(labels, 1, 2);
                assertEquals(java.util.Arrays.toString(Close.flat(batch.get("decoder_input_ids"))),
                        java.util.Arrays.toString(java.util.Arrays.stream(decIn.toLongArray()).asDoubleStream().toArray()),
                        tag + ": shift_tokens_right");
                NDArray enc = model.encode(ids, mask, false);
                Close.abs(tag + " encoder states", Close.flat(exp.getAsJsonObject("encoder_last_hidden_state")
                        .get("values")), Close.values(enc), 1e-5);
                NDArray dec = model.decoderHiddenStates(enc, mask, decIn, false);
                Close.abs(tag + " decoder states", Close.flat(exp.getAsJsonObject("decoder_last_hidden_state")
                        .get("values")), Close.values(dec), 1e-5);
                NDArray logits = model.logits(dec);
                LogitChecks.assertMatches(tag, exp.getAsJsonObject("logits"), logits, labels, f.logitTol());
                TokenCrossEntropy.Result loss = new TokenCrossEntropy(0f).compute(logits, labels);
                Close.rel(tag + " loss", exp.get("loss").getAsDouble(), loss.loss().getFloat(), 1e-5, 0);
                Close.rel(tag + " nll_sum", exp.get("nll_sum").getAsDouble(), loss.nllSum().getFloat(), 1e-5, 0);
                assertEquals(exp.get("num_label_tokens").getAsInt(), (int) loss.tokens().getFloat(), tag);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bart", "tiny-bart-std0.2"})
    void incrementalDecodingEqualsFullDecoding(String name) {
        BartFixture f = BartFixture.load(name);
        BartModel model = model(f);
        JsonObject batch = f.batch(2);
        try (NDManager m = model.manager().getParentManager().newSubManager()) {
            NDArray ids = BartFixture.ids(m, batch, "input_ids");
            NDArray mask = BartFixture.ids(m, batch, "attention_mask");
            NDArray decIn = BartFixture.ids(m, batch, "decoder_input_ids");
            NDArray enc = model.encode(ids, mask, false);
            NDArray full = model.decode(enc, mask, decIn, false);
            long t = decIn.getShape().get(1);
            try (DecoderCache cache = model.startDecoding(enc, mask)) {
                for (int i = 0; i < t; i++) {
                    NDArray step = model.decodeStep(cache, decIn.get(":, {}", i));
                    assertEquals(i + 1, cache.length());
                    Close.abs(name + " step " + i, toDouble(full.get(":, {}, :", i)), Close.values(step), 1e-5);
                }
            }
            // beams: reorder/repeat rows mid-way; every row must continue exactly as the row it copied
            long half = t / 2;
            NDArray rows = m.create(new long[] {1, 1, 0});
            NDArray decRows = decIn.get(rows);
            NDArray fullRows = model.decode(enc.get(rows), mask.get(rows), decRows, false);
            try (DecoderCache cache = model.startDecoding(enc, mask)) {
                for (int i = 0; i < half; i++) model.decodeStep(cache, decIn.get(":, {}", i));
                cache.selectRows(rows);
                for (long i = half; i < t; i++) {
                    NDArray step = model.decodeStep(cache, decRows.get(":, {}", i));
                    Close.abs(name + " reordered step " + i, toDouble(fullRows.get(":, {}, :", i)),
                            Close.values(step), 1e-5);
                }
            }
            // beam-style: expand to 2 rows per input, then keep swapping rows within each input
            NDArray expand = m.create(new long[] {0, 0, 1, 1});
            NDArray swap = m.create(new long[] {1, 0, 3, 2});
            NDArray decExp = decIn.get(expand);
            NDArray fullExp = model.decode(enc.get(expand), mask.get(expand), decExp, false);
            try (DecoderCache cache = model.startDecoding(enc, mask)) {
                cache.selectRows(expand);
                for (long i = 0; i < t; i++) {
                    NDArray step = model.decodeStep(cache, decExp.get(":, {}", i));
                    Close.abs(name + " beam-style step " + i, toDouble(fullExp.get(":, {}, :", i)),
                            Close.values(step), 1e-5);
                    cache.selectRows(swap); // rows 2i and 2i+1 hold the same tokens: the swap is invisible
                }
            }
        }
    }

    private static double[] toDouble(NDArray a) {
        float[] f = Close.values(a);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
