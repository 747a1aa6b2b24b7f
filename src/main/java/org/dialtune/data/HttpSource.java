package org.dialtune.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Downloads over http(s) with {@link HttpClient}; resumes with a {@code Range} request. */
final class HttpSource implements Source {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static volatile HttpSource shared;

    private final HttpClient client;

    HttpSource(HttpClient client) {
        this.client = client;
    }

    /** One client per run: it keeps connections to the mirror alive across the many small files. */
    static HttpSource shared() {
        if (shared == null) {
            synchronized (HttpSource.class) {
                if (shared == null) {
                    shared = new HttpSource(HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(Duration.ofSeconds(30))
                            .build());
                }
            }
        }
        return shared;
    }

    @Override
    public Opened open(URI uri, long offset) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "dialtune-data-fetch");
        if (offset > 0) request.header("Range", "bytes=" + offset + "-");
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + uri);
        }
        int status = response.statusCode();
        if (status == 200) return new Opened(response.body(), 0);
        if (status == 206) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (m.matches() && Long.parseLong(m.group(1)) == offset) return new Opened(response.body(), offset);
            response.body().close();
            throw new IOException("HTTP 206 with unexpected Content-Range \"" + range + "\"");
        }
        response.body().close();
        throw new IOException("HTTP " + status);
    }
}
