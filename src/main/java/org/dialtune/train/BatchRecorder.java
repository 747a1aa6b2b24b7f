package org.dialtune.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.dialtune.format.Seq2SeqExample;

/**
 * {@code train --record-batches}: writes what every micro-batch of every step was made of to
 * {@code batches.jsonl}, one line per micro-batch — the examples in row order (task, id, instruction
 * id, source and target text) and the token ids the model got (sources as kept after truncation,
 * labels before padding). With it a run can be replayed elsewhere, e.g. step for step in Hugging Face
 * transformers (src/test/python/test_training_vs_transformers.py). On resume the lines after the
 * checkpoint are dropped, as in the training log.
 */
final class BatchRecorder implements AutoCloseable {
    static final String FILE = "batches.jsonl";

    private final TrainLog out;

    private BatchRecorder(TrainLog out) {
        this.out = out;
    }

    /** A fresh record in {@code stageDir}, or the one of a run resumed after {@code resumeStep} (> 0). */
    static BatchRecorder open(Path stageDir, long resumeStep) {
        Path file = stageDir.resolve(FILE);
        return new BatchRecorder(resumeStep > 0 ? TrainLog.resume(file, resumeStep) : TrainLog.create(file));
    }

    void record(long step, int microBatch, EncodedBatch batch) {
        JsonArray rows = new JsonArray();
        for (int r = 0; r < batch.examples().size(); r++) {
            Seq2SeqExample e = batch.examples().get(r);
            JsonObject row = new JsonObject();
            row.addProperty("task", e.task());
            row.addProperty("id", e.id());
            row.addProperty("instruction_id", e.instructionId());
            row.addProperty("source", e.source());
            row.addProperty("target", e.target());
            row.add("source_ids", ids(batch.sourceIds(r)));
            row.add("label_ids", ids(batch.labelIds(r)));
            rows.add(row);
        }
        JsonObject o = new JsonObject();
        o.addProperty("global_step", step);
        o.addProperty("micro_batch", microBatch);
        o.add("examples", rows);
        out.write(o);
    }

    private static JsonArray ids(long[] ids) {
        JsonArray a = new JsonArray(ids.length);
        for (long id : ids) a.add(id);
        return a;
    }

    @Override
    public void close() {
        out.close();
    }
}
