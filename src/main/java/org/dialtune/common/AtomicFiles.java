package org.dialtune.common;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: content goes to a temporary file in the
 * same directory, is flushed to disk, then renamed over the target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the file's content to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Something that writes the file's content as UTF-8 text. */
    @FunctionalInterface
    public interface TextWriter {
        void write(Writer out) throws IOException;
    }

    /** Something that fills a new, empty directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(Path dir) throws IOException;
    }

    /**
     * Writes a whole directory (a checkpoint, an adapter) so that readers see the old one or the new
     * one, never a mix: {@code content} fills a hidden temporary directory beside {@code dir}, which
     * is then renamed into place (an existing {@code dir} is moved aside first and deleted after).
     * On failure the temporary directory is removed and an existing {@code dir} is left as it was.
     */
    public static void writeDirectory(Path dir, DirectoryWriter content) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            content.writeInto(tmp);
            shareable(tmp);
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old);
            }
            moveIntoPlace(tmp, target);
            tmp = null;
            if (old != null) deleteQuietly(old);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // a leftover hidden directory is never read; the real error, if any, is already on its way
        }
    }

    public static void write(Path target, StreamWriter content) {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
            writeInPlace(target, content); // /dev/stdout, a pipe: renaming over it would replace the device
            return;
        }
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(tmp.toFile());
                 java.io.BufferedOutputStream buf = new java.io.BufferedOutputStream(out, 1 << 16)) {
                content.write(buf);
                buf.flush();
                out.getChannel().force(true); // on disk before the rename makes it visible
            }
            shareable(tmp);
            moveIntoPlace(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } catch (UncheckedIOException e) { // from writers that run inside lambdas (e.g. convert's per-example callback)
            throw cannotWrite(target, e.getCause());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }

    /** Writes straight into a special file (device, pipe), which has no directory entry to replace. */
    private static void writeInPlace(Path target, StreamWriter content) {
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(target.toFile());
             java.io.BufferedOutputStream buf = new java.io.BufferedOutputStream(out, 1 << 16)) {
            content.write(buf);
            buf.flush();
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } catch (UncheckedIOException e) {
            throw cannotWrite(target, e.getCause());
        }
    }

    /** A failed write (full disk, no permission) names the output file: "out.jsonl: cannot write: No space left on device". */
    private static UserError cannotWrite(Path target, IOException e) {
        return new UserError(target + ": cannot write: " + e.getMessage(), e);
    }

    public static void writeText(Path target, TextWriter content) {
        write(target, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            content.write(w);
            w.flush();
        });
    }

    public static void writeString(Path target, String text) {
        writeText(target, w -> w.write(text));
    }

    /**
     * Temporary files and directories are created private (0600 / 0700); a finished output is for others
     * to read too: files become 0644 and directories 0755, recursively. No-op off POSIX file systems.
     */
    public static void shareable(Path p) throws IOException {
        if (!p.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        try (java.util.stream.Stream<Path> all = Files.walk(p)) {
            for (Path x : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(x, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(x) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** Deletes a file or a directory with everything in it; nothing to do when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (java.util.stream.Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    /** Renames a finished temporary file or directory over {@code target}. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
