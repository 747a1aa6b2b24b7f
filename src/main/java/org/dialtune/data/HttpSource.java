package org.dialtune.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads over http(s) with {@link HttpClient}; resumes with a {@code Range} request.
 *
 * <p>HttpClient has no read timeout for a response body: its InputStream blocks for ever when a
 * connection stalls mid-transfer. So the body is delivered as events into a queue that the reader
 * polls with a deadline, and a download that receives nothing for {@code stallTimeout} fails (its
 * {@code .part} is kept and resumed on the next run).
 */
final class HttpSource implements Source {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    /** What the HTTP client hands over: the status line, body chunks, the end, or a failure. */
    private sealed interface Event permits Head, Chunk, End, Failed {}

    private record Head(int status, String contentRange) implements Event {}

    private record Chunk(byte[] bytes) implements Event {}

    private record End() implements Event {}

    private record Failed(Throwable cause) implements Event {}

    private final HttpClient client;
    private final Duration stallTimeout;

    HttpSource(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
        // one client per run: it keeps connections to the mirror alive across the many small files
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(stallTimeout)
                .build();
    }

    @Override
    public Opened open(URI uri, long offset) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "dialtune-data-fetch");
        if (offset > 0) request.header("Range", "bytes=" + offset + "-");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request.build(), info -> {
            events.add(new Head(info.statusCode(), info.headers().firstValue("Content-Range").orElse("")));
            boolean body = info.statusCode() == 200 || info.statusCode() == 206;
            return body ? HttpResponse.BodySubscribers.ofByteArrayConsumer(
                            chunk -> events.add(chunk.<Event>map(Chunk::new).orElseGet(End::new)))
                    : HttpResponse.BodySubscribers.replacing(null);
        });
        exchange.whenComplete((response, error) -> {
            if (error != null) events.add(new Failed(error));
        });
        EventStream stream = new EventStream(events, exchange, uri);
        try {
            Event first = stream.next();
            if (first instanceof Failed f) throw stream.failure(f);
            Head head = (Head) first;
            if (head.status() == 200) return new Opened(stream, 0);
            if (head.status() == 206) {
                Matcher m = CONTENT_RANGE.matcher(head.contentRange());
                if (m.matches() && Long.parseLong(m.group(1)) == offset) return new Opened(stream, offset);
                throw new IOException("HTTP 206 with unexpected Content-Range \"" + head.contentRange() + "\"");
            }
            throw new IOException("HTTP " + head.status());
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** The response body as an InputStream whose reads give up after {@link #stallTimeout}. */
    private final class EventStream extends InputStream {
        private final BlockingQueue<Event> events;
        private final CompletableFuture<?> exchange;
        private final URI uri;
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean ended;

        EventStream(BlockingQueue<Event> events, CompletableFuture<?> exchange, URI uri) {
            this.events = events;
            this.exchange = exchange;
            this.uri = uri;
        }

        Event next() throws IOException {
            try {
                Event e = events.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    throw new IOException("no data for " + stallTimeout.toSeconds() + " s (connection stalled)");
                }
                return e;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + uri);
            }
        }

        IOException failure(Failed f) {
            Throwable c = f.cause() instanceof java.util.concurrent.CompletionException && f.cause().getCause() != null
                    ? f.cause().getCause() : f.cause();
            String m = c.getMessage();
            if (m == null || m.isBlank()) {
                // HttpClient's refused or unreachable connections carry no text at all
                m = c instanceof java.net.ConnectException ? "cannot connect"
                        : c instanceof java.nio.channels.UnresolvedAddressException ? "unknown host"
                        : c.getClass().getSimpleName();
            }
            boolean unreachable = c instanceof java.net.ConnectException
                    || c instanceof java.net.http.HttpConnectTimeoutException
                    || c instanceof java.nio.channels.UnresolvedAddressException;
            return unreachable ? new UnreachableSourceException(m, c) : new IOException(m, c);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == chunk.length) {
                if (ended) return -1;
                Event e = next();
                if (e instanceof Chunk c) {
                    chunk = c.bytes();
                    pos = 0;
                } else if (e instanceof End) {
                    ended = true;
                } else if (e instanceof Failed f) {
                    throw failure(f);
                }
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            if (!ended) exchange.cancel(true); // stops the transfer of a body nobody will read
        }
    }
}
