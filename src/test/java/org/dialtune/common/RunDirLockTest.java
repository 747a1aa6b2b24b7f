package org.dialtune.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run directory: a live holder refuses the second, a killed one's lock is taken over and named. */
class RunDirLockTest {
    @TempDir Path dir;

    private static final String HOST = RunDirLock.Host.name();

    /** Starts another JVM that holds the lock on {@code run}; returns once it holds it. */
    private static Process holdInAnotherProcess(Path run) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RunDirLockHolder.class.getName(), run.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("locked", line, "the holder process should lock the directory");
        return p;
    }

    @Test
    void aLiveWriterInAnotherProcessRefusesTheSecondWithItsPidAndHost() throws Exception {
        Path run = dir.resolve("run");
        Process holder = holdInAnotherProcess(run);
        try {
            UserError e = assertThrows(UserError.class, () -> RunDirLock.acquire(run, s -> { }));
            String started = Files.readString(run.resolve(RunDirLock.FILE)).lines()
                    .filter(l -> l.startsWith("started ")).findFirst().orElseThrow().substring(8);
            assertEquals(run + ": another dialtune run is writing this run directory (pid " + holder.pid() + " on host "
                    + HOST + ", started " + started + "; lock file " + run.resolve(RunDirLock.FILE)
                    + "): wait for it to finish, or use another --out", e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertEquals(0, holder.waitFor());
        }
        // released on a clean exit: the file stays, empty, and the next writer gets it without a warning
        assertEquals("", Files.readString(run.resolve(RunDirLock.FILE)));
        List<String> said = new ArrayList<>();
        try (RunDirLock lock = RunDirLock.acquire(run, said::add)) {
            assertTrue(Files.readString(lock.file()).startsWith("pid " + ProcessHandle.current().pid() + "\nhost " + HOST
                    + "\nstarted "));
        }
        assertEquals(List.of(), said);
    }

    @Test
    void aKilledWritersLockIsTakenOverAndNamed() throws Exception {
        Path run = dir.resolve("run");
        Process holder = holdInAnotherProcess(run);
        holder.destroyForcibly().waitFor(); // kill -9: the OS drops the lock, the file keeps the pid
        List<String> said = new ArrayList<>();
        try (RunDirLock lock = RunDirLock.acquire(run, said::add)) {
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.get(0).startsWith("dialtune: warning: " + run + ": took over a stale lock left by pid "
                    + holder.pid() + " on host " + HOST + ", started "), said.get(0));
            assertTrue(said.get(0).endsWith(", which is no longer running (" + lock.file() + ")"), said.get(0));
        }
    }

    @Test
    void theSameProcessCannotLockADirectoryTwice() {
        Path run = dir.resolve("run");
        try (RunDirLock first = RunDirLock.acquire(run, s -> { })) {
            UserError e = assertThrows(UserError.class, () -> RunDirLock.acquire(dir.resolve("run/../run"), s -> { }));
            assertTrue(e.getMessage().contains("(pid " + ProcessHandle.current().pid() + " on host " + HOST), e.getMessage());
        }
        RunDirLock.acquire(run, s -> { }).close(); // free again
    }
}
