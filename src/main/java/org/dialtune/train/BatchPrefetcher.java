package org.dialtune.train;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dialtune.format.Seq2SeqExample;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;

/**
 * Draws and tokenises the next training batch on a background thread while the current step
 * computes. On DialogSum with bart-base's batch shapes (tiny model) drawing and tokenising took 8.8 ms
 * of a 73 ms step. The batches, their order and the stream positions are exactly those of drawing in
 * line, so runs stay deterministic and resumable; the thread has its own tokenizer instance.
 */
final class BatchPrefetcher implements AutoCloseable {
    /** A batch ready for the device, and the stream position after it (what a checkpoint records). */
    record Prepared(EncodedBatch batch, BatchStream.Position after) {}

    private final BatchStream<Seq2SeqExample> stream;
    private final Seq2SeqTokenizer tokenizer;
    private final int maxSource;
    private final int maxTarget;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dialtune-batches");
        t.setDaemon(true);
        return t;
    });
    private Future<Prepared> next;

    /** {@code tokenizer} is used only by the background thread (and closed with this prefetcher). */
    BatchPrefetcher(BatchStream<Seq2SeqExample> stream, Seq2SeqTokenizer tokenizer, int maxSource, int maxTarget) {
        this.stream = stream;
        this.tokenizer = tokenizer;
        this.maxSource = maxSource;
        this.maxTarget = maxTarget;
        this.next = thread.submit(this::prepare);
    }

    /** The next batch (waiting for it if needed); preparing the one after starts at once. */
    Prepared next() {
        Prepared p;
        try {
            p = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
        next = thread.submit(this::prepare);
        return p;
    }

    private Prepared prepare() {
        List<Seq2SeqExample> examples = stream.next().stream().map(TaskMixture.Draw::example).toList();
        return new Prepared(EncodedBatch.of(examples, tokenizer, maxSource, maxTarget), stream.position());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS); // the tokenizer must be idle before it closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tokenizer.close();
    }
}
