package org.dialtune.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.UserError;

/**
 * The checkpoints of a run: {@code <run>/checkpoints/step-00000100/}. A checkpoint is written into a
 * hidden temporary directory and renamed into place only when complete, so a crash mid-write never
 * leaves a directory that {@link #latest()} would pick up. Older checkpoints beyond {@code keep} are
 * deleted after a new one is in place.
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("step-(\\d{8})");
    private static final String INCOMPLETE = ".incomplete-step-";

    private final Path dir;
    private final int keep;

    /** Writes a checkpoint's files into an empty directory. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path emptyDir) throws IOException;
    }

    public CheckpointStore(Path runDir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1");
        this.dir = runDir.resolve("checkpoints");
        this.keep = keep;
    }

    public Path directory() {
        return dir;
    }

    /** Writes the checkpoint of global step {@code step} atomically and returns its directory. */
    public Path save(long step, Writer writer) {
        Path target = dir.resolve(String.format("step-%08d", step));
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, INCOMPLETE + step + "-");
            writer.writeTo(tmp);
            AtomicFiles.shareable(tmp);
            AtomicFiles.deleteTree(target);
            AtomicFiles.moveIntoPlace(tmp, target);
            tmp = null;
            prune();
            return target;
        } catch (IOException e) {
            throw new UserError(target + ": cannot write checkpoint: " + e.getMessage(), e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /**
     * Deletes the temporary directories of checkpoint writes that were killed half-way (nothing reads
     * them; they only take disk space) and returns how many there were. Only the run's single writer
     * (see {@link org.dialtune.common.RunDirLock}) may call this: another writer's may be in progress.
     */
    public int removeIncomplete() {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> leftovers = s.filter(p -> p.getFileName().toString().startsWith(INCOMPLETE)).toList();
            for (Path p : leftovers) AtomicFiles.deleteTree(p);
            return leftovers.size();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot remove incomplete checkpoints: " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() {
        List<Path> all = complete();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The global step a checkpoint directory belongs to. */
    public static long stepOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new UserError(checkpoint + ": not a checkpoint directory (expected step-NNNNNNNN)");
        return Long.parseLong(m.group(1));
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> complete() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isDirectory).toList());
            out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = complete();
        for (int i = 0; i < all.size() - keep; i++) AtomicFiles.deleteTree(all.get(i));
    }

    private static void deleteQuietly(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary directory is never read
        }
    }
}
