package org.dialtune.common;

/** A second process for {@link RunDirLockTest}: locks the directory in args[0], says so, and holds it until stdin closes. */
public final class RunDirLockHolder {
    private RunDirLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (RunDirLock lock = RunDirLock.acquire(java.nio.file.Path.of(args[0]), System.out::println)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }
}
