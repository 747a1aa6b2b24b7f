package org.dialtune.data;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/** Picks the {@link Source} for a URL's scheme; one HTTP client serves a whole run. */
public final class Sources implements Function<URI, Source> {
    private final Duration stallTimeout;
    private HttpSource http;

    /** @param stallTimeout how long an http download may receive nothing before it fails */
    public Sources(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    @Override
    public Source apply(URI uri) {
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "file" -> FileSource.INSTANCE;
            case "http", "https" -> {
                if (http == null) http = new HttpSource(stallTimeout);
                yield http;
            }
            default -> throw new IllegalArgumentException("no source for " + uri);
        };
    }
}
