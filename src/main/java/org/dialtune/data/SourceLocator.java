package org.dialtune.data;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.dialtune.common.UserError;

/**
 * Where a manifest file is downloaded from: {@code BASE/<repo>/<commit>/<path>}, with GitHub's raw
 * file server as the default base. A mirror only has to reproduce that layout.
 */
public record SourceLocator(URI base) {
    public static final String GITHUB_RAW = "https://raw.githubusercontent.com";
    private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    public static SourceLocator githubRaw() {
        return new SourceLocator(URI.create(GITHUB_RAW + "/"));
    }

    /**
     * Parses {@code --mirror}: an http(s):// or file:// URL, or a plain directory path.
     *
     * @param option the option name, for the message
     */
    public static SourceLocator parse(String mirror, String option) {
        URI uri;
        if (!HAS_SCHEME.matcher(mirror).matches()) {
            return withSlash(Path.of(mirror).toAbsolutePath().normalize().toUri());
        }
        try {
            uri = new URI(mirror);
        } catch (java.net.URISyntaxException e) {
            throw new UserError(option + ": \"" + mirror + "\" is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new UserError(option + ": unsupported URL scheme \"" + uri.getScheme()
                    + "\" in \"" + mirror + "\" (use http://, https://, file:// or a directory)");
        }
        return withSlash(uri);
    }

    /** The base names a directory, whether or not it exists or the user typed the slash. */
    private static SourceLocator withSlash(URI uri) {
        String s = uri.toString();
        return new SourceLocator(URI.create(s.endsWith("/") ? s : s + "/"));
    }

    public URI locate(String repo, String commit, String path) {
        if ("file".equalsIgnoreCase(base.getScheme())) {
            return Path.of(base).resolve(repo).resolve(commit).resolve(path).toUri();
        }
        StringBuilder url = new StringBuilder(base.toString()).append(repo).append('/').append(commit);
        for (String segment : path.split("/")) {
            url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(url.toString());
    }

    public URI locate(ManifestDataset dataset, ManifestFile file) {
        return locate(file.repoIn(dataset), file.commitIn(dataset), file.source());
    }
}
