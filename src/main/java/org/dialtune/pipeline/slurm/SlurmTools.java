package org.dialtune.pipeline.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dialtune.common.UserError;

/**
 * Slurm's client commands (sbatch, squeue, sacct, scancel), found on the search path: {@code PATH}, or
 * the system property {@code dialtune.slurm.path} (same syntax), which tests use to put a fake sbatch first.
 */
public final class SlurmTools {
    /** A finished command: exit status and both outputs. */
    public record Result(int exit, String out, String err) {
        /** The first non-blank line of stderr (else stdout), for one-line errors. */
        public String firstErrorLine() {
            for (String s : List.of(err, out)) {
                var line = s.lines().map(String::strip).filter(x -> !x.isEmpty()).findFirst();
                if (line.isPresent()) return line.get();
            }
            return "exit status " + exit;
        }
    }

    private final String searchPath;

    public SlurmTools() {
        this(System.getProperty("dialtune.slurm.path", System.getenv().getOrDefault("PATH", "")));
    }

    public SlurmTools(String searchPath) {
        this.searchPath = searchPath;
    }

    /** The executable, or null when it is not on the search path. */
    public Path find(String name) {
        for (String d : searchPath.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    public boolean has(String name) {
        return find(name) != null;
    }

    /** The executable, or a one-line error saying what is missing and what to do instead. */
    public Path require(String name) {
        Path p = find(name);
        if (p == null) {
            throw new UserError(name + ": not found on PATH: submit from a machine with Slurm's client commands (a login node), "
                    + "add them to PATH, or run the grid here with 'dialtune experiment run' (--dry-run prints the scripts "
                    + "without submitting)");
        }
        return p;
    }

    /** Runs {@code name args…} and waits for it (at most {@code timeoutSeconds}). */
    public Result run(String name, List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require(name).toString());
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread t = new Thread(() -> {
                try {
                    err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.complete("");
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UserError(name + " did not answer within " + timeoutSeconds + " s: is slurmctld reachable (scontrol ping)?");
            }
            t.join();
            return new Result(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UserError(name + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(name + ": interrupted");
        }
    }
}
