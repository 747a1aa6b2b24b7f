package org.dialtune.data;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dialtune.common.AtomicFiles;

/**
 * Downloads the manifest's files into a data directory. Resumable at two levels: files already
 * present with the right hash are skipped, and an interrupted download continues its
 * {@code <file>.part}. A file appears under its real name only after its size and SHA-256 match;
 * a failure is recorded and the remaining files and datasets are still fetched.
 */
public final class DataFetcher {
    /** What a fetch did; {@code failedDatasets} maps each failed dataset to its failed file count. */
    public record Report(int datasets, int files, long bytes, int downloaded, int present, long bytesDownloaded,
                         List<FileProblem> problems, Map<String, Integer> failedDatasets) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public String summary() {
            StringBuilder s = new StringBuilder("fetch: ").append(datasets - failedDatasets.size()).append('/')
                    .append(datasets).append(" datasets OK, ").append(files).append(" files (")
                    .append(Bytes.human(bytes)).append("): ").append(downloaded).append(" downloaded (")
                    .append(Bytes.human(bytesDownloaded)).append("), ").append(present).append(" already present");
            if (!ok()) {
                List<String> failed = new ArrayList<>();
                failedDatasets.forEach((d, n) -> failed.add(d + " (" + n + " file" + (n == 1 ? "" : "s") + ")"));
                s.append(", ").append(problems.size()).append(" failed; failed datasets: ")
                        .append(String.join(", ", failed));
            }
            return s.toString();
        }
    }

    /** Told about each finished file, in order; prints progress in the CLI. */
    public interface Listener {
        /**
         * @param outcome what happened, e.g. "downloaded", "present", or the problem line
         */
        void fileDone(int filesDone, int filesTotal, long bytesDone, long bytesTotal, String path, String outcome);
    }

    /** After this many downloads in a row could not connect, the mirror is taken to be unreachable. */
    static final int UNREACHABLE_AFTER = 3;

    private final SourceLocator locator;
    private final Function<URI, Source> sources;
    private final Listener listener;

    public DataFetcher(SourceLocator locator, Function<URI, Source> sources, Listener listener) {
        this.locator = locator;
        this.sources = sources;
        this.listener = listener;
    }

    public Report fetch(Path dataDir, List<ManifestDataset> datasets) {
        int total = datasets.stream().mapToInt(d -> d.files().size()).sum();
        long totalBytes = datasets.stream().mapToLong(ManifestDataset::totalBytes).sum();
        List<FileProblem> problems = new ArrayList<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        int done = 0;
        int downloaded = 0;
        int present = 0;
        long bytesDone = 0;
        long bytesDownloaded = 0;
        int unreachableInARow = 0;
        for (ManifestDataset d : datasets) {
            for (ManifestFile f : d.files()) {
                Path target = dataDir.resolve(f.path());
                String outcome;
                Optional<FileProblem> local = FileCheck.check(target, d.name(), f);
                if (local.isEmpty()) {
                    present++;
                    outcome = "present";
                } else if (unreachableInARow >= UNREACHABLE_AFTER) {
                    // each further try would wait out the connect timeout: report instead of hanging
                    FileProblem p = new FileProblem(d.name(), f.path(), FileProblem.Kind.DOWNLOAD_FAILED,
                            "not tried: the last " + UNREACHABLE_AFTER + " downloads could not connect to "
                                    + locator.base());
                    problems.add(p);
                    failed.merge(d.name(), 1, Integer::sum);
                    outcome = p.line();
                } else {
                    Attempt a = download(d, f, target);
                    unreachableInARow = a.unreachable() ? unreachableInARow + 1 : 0;
                    if (a.problem().isPresent()) {
                        problems.add(a.problem().get());
                        failed.merge(d.name(), 1, Integer::sum);
                        outcome = a.problem().get().line();
                    } else {
                        downloaded++;
                        bytesDownloaded += a.bytesRead();
                        outcome = a.resumedAt() > 0 ? "downloaded (resumed at " + a.resumedAt() + " bytes)" : "downloaded";
                        if (local.get().kind() != FileProblem.Kind.MISSING) {
                            outcome += ", replacing a local copy whose " + local.get().kind().label();
                        }
                    }
                }
                done++;
                bytesDone += f.size();
                listener.fileDone(done, total, bytesDone, totalBytes, f.path(), outcome);
            }
        }
        return new Report(datasets.size(), total, totalBytes, downloaded, present, bytesDownloaded,
                List.copyOf(problems), failed);
    }

    private record Attempt(Optional<FileProblem> problem, long resumedAt, long bytesRead, boolean unreachable) {
        Attempt(Optional<FileProblem> problem, long resumedAt, long bytesRead) {
            this(problem, resumedAt, bytesRead, false);
        }
    }

    /** Downloads into {@code <target>.part}, checks it, and only then renames it over the target. */
    private Attempt download(ManifestDataset d, ManifestFile f, Path target) {
        URI uri = locator.locate(d, f);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long resumedAt = 0;
        long read = 0;
        try {
            Files.createDirectories(target.getParent());
            boolean started = Files.isRegularFile(part);
            long have = started ? Files.size(part) : 0;
            if (have > f.size()) {
                Files.delete(part); // longer than the real file: cannot be a prefix of it
                started = false;
                have = 0;
            }
            if (!started || have < f.size()) { // an empty file needs its (empty) download too
                Source.Opened opened = sources.apply(uri).open(uri, have);
                boolean append = opened.startsAt() == have && have > 0;
                resumedAt = append ? have : 0;
                try (InputStream in = opened.stream();
                     FileOutputStream out = new FileOutputStream(part.toFile(), append)) {
                    read = in.transferTo(out);
                    out.getChannel().force(true); // on disk before the rename makes it visible
                }
            }
        } catch (IOException e) {
            // the .part stays: the next run continues from where this one stopped
            return new Attempt(Optional.of(new FileProblem(d.name(), f.path(), FileProblem.Kind.DOWNLOAD_FAILED,
                    "from " + uri + ": " + describe(e))), 0, read, e instanceof UnreachableSourceException);
        }
        Optional<FileProblem> wrong = FileCheck.check(part, d.name(), f);
        if (wrong.isPresent()) {
            FileProblem p = wrong.get();
            String detail = "from " + uri + ": " + p.detail();
            if (isShort(part, f)) {
                detail += "; the partial download is kept, run again to resume it";
            } else {
                deleteQuietly(part); // wrong bytes: resuming them would only repeat the failure
            }
            return new Attempt(Optional.of(new FileProblem(p.dataset(), p.path(), p.kind(), detail)), resumedAt, read);
        }
        try {
            AtomicFiles.moveIntoPlace(part, target);
        } catch (IOException e) {
            return new Attempt(Optional.of(new FileProblem(d.name(), f.path(), FileProblem.Kind.DOWNLOAD_FAILED,
                    "cannot rename " + part + ": " + describe(e))), resumedAt, read);
        }
        return new Attempt(Optional.empty(), resumedAt, read);
    }

    /** A download that ended early is a prefix worth resuming; anything else is wrong bytes. */
    private static boolean isShort(Path part, ManifestFile f) {
        try {
            return Files.size(part) < f.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException n && n.getReason() != null) return n.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .part with wrong bytes is deleted on the next run (its hash fails again)
        }
    }
}
