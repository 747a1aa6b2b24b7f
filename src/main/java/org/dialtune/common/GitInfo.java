package org.dialtune.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The git commit of the code that produced a result, so every number can be traced back. */
public final class GitInfo {
    private GitInfo() {}

    /**
     * {@code git rev-parse HEAD} of {@code repo}, with {@code -dirty} when tracked files have
     * uncommitted changes, or {@code "unknown"} when it is not a git checkout or git is missing.
     */
    public static String commit(Path repo) {
        String head = git(repo, "rev-parse", "HEAD");
        if (head == null || head.isEmpty()) return "unknown";
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    private static String git(Path repo, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = repo.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
