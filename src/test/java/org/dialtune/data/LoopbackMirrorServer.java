package org.dialtune.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves a directory over http on 127.0.0.1 (never the network), honouring {@code Range: bytes=N-}
 * the way GitHub's raw server does, so tests exercise the real {@link HttpSource}.
 */
final class LoopbackMirrorServer implements AutoCloseable {
    private final HttpServer server;
    /** "GET path [range]" for each request, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** When set, every response announces the full length but the connection drops after this many bytes. */
    volatile int dropAfter = -1;

    LoopbackMirrorServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> serve(root, ex));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void serve(Path root, HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add("GET " + ex.getRequestURI().getPath() + (range == null ? "" : " " + range));
        Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        byte[] body = Files.readAllBytes(file);
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        if (from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from == 0 ? -1 : body.length - from);
        int send = dropAfter >= 0 ? Math.min(dropAfter, body.length - from) : body.length - from;
        OutputStream out = ex.getResponseBody();
        out.write(body, from, send);
        out.flush();
        try {
            out.close(); // short of the announced length: the JDK server drops the connection
        } catch (IOException expected) {
            // "insufficient bytes written to stream": the client sees a broken transfer
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
