package org.dialtune.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One writer per run directory. Two {@code train} or {@code experiment run} processes on the same
 * {@code --out} would interleave checkpoints and result rows of different runs, so a writer holds an OS
 * lock ({@link FileChannel#tryLock}) on {@code <dir>/.dialtune.lock} for as long as it runs. The OS
 * releases the lock when the process dies however it dies, so the lock itself is never stale; the
 * file's content (pid, host, start time) only names the holder in messages. A holder that was killed
 * leaves its content behind: the next writer says whose stale lock it took over. The file is emptied,
 * never deleted, on a clean exit (deleting it would let two writers lock two different files).
 */
public final class RunDirLock implements AutoCloseable {
    public static final String FILE = ".dialtune.lock";
    private static final Pattern FIELD = Pattern.compile("(?m)^(pid|host|started) (.*)$");

    /**
     * Run directories locked by this JVM (real paths) and what their lock files say. Checked before the
     * file is opened: on POSIX, closing any descriptor of a file drops every lock the process holds on it,
     * so a second look from this process must not open the file.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirLock(Path dir, Path file, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if needed) for this process, or throws a one-line {@link UserError}
     * naming the lock file and its holder; {@code say} hears about a stale lock taken over.
     */
    public static RunDirLock acquire(Path dir, Consumer<String> say) {
        Path file = dir.resolve(FILE);
        Path real;
        try {
            Files.createDirectories(dir);
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot create the run directory: " + e.getMessage(), e);
        }
        String mine = "pid " + ProcessHandle.current().pid() + "\nhost " + Host.name() + "\nstarted " + Instant.now() + "\n";
        String other = HELD.putIfAbsent(real, mine);
        if (other != null) throw busy(dir, file, holder(other));
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // locked through another channel of this JVM, not through this class
            }
            String previous = read(channel);
            if (lock == null) throw busy(dir, file, holder(previous));
            if (!previous.isBlank()) {
                say.accept("dialtune: warning: " + dir + ": took over a stale lock left by " + holder(previous)
                        + (isDeadHere(previous) ? ", which is no longer running" : ", which no longer holds it")
                        + " (" + file + ")");
            }
            write(channel, mine);
            RunDirLock held = new RunDirLock(real, file, channel, lock);
            channel = null;
            return held;
        } catch (IOException e) {
            throw new UserError(file + ": cannot lock the run directory: " + e.getMessage(), e);
        } finally {
            if (channel != null) { // not locked: forget the claim
                closeQuietly(channel);
                HELD.remove(real);
            }
        }
    }

    private static UserError busy(Path dir, Path file, String holder) {
        return new UserError(dir + ": another dialtune run is writing this run directory (" + holder
                + "; lock file " + file + "): wait for it to finish, or use another --out");
    }

    public Path file() {
        return file;
    }

    /** This machine's name as lock files (and unit records) write it. */
    public static String hostName() {
        return Host.name();
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException ignored) {
            // the OS drops the lock with the channel anyway
        } finally {
            closeQuietly(channel);
            HELD.remove(dir);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static void write(FileChannel channel, String text) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
    }

    /** "pid 123 on host h, started 2026-…" from the file's content. */
    static String holder(String content) {
        String pid = field(content, "pid");
        if (pid == null) return "its pid is not written yet";
        String started = field(content, "started");
        return "pid " + pid + " on host " + field(content, "host") + (started == null ? "" : ", started " + started);
    }

    private static boolean isDeadHere(String content) {
        String pid = field(content, "pid");
        if (pid == null || !Host.name().equals(field(content, "host"))) return false;
        try {
            return ProcessHandle.of(Long.parseLong(pid.strip())).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String field(String content, String name) {
        Matcher m = FIELD.matcher(content);
        while (m.find()) if (m.group(1).equals(name)) return m.group(2).strip();
        return null;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** This machine's name as the kernel knows it (no DNS look-up, which can hang). */
    static final class Host {
        private static final String NAME = lookUp();

        private Host() {}

        static String name() {
            return NAME;
        }

        private static String lookUp() {
            try {
                Path kernel = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(kernel)) return Files.readString(kernel).strip();
            } catch (IOException ignored) {
                // fall through to the environment
            }
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) return env.strip();
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
