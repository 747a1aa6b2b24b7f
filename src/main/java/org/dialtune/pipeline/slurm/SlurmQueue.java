package org.dialtune.pipeline.slurm;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Slurm knows of our array tasks: {@code squeue} (live tasks, and finished ones for
 * {@code MinJobAge} seconds) and, where accounting is kept, {@code sacct} (finished tasks for good).
 * Either may be missing or refuse (no accounting): then it simply contributes nothing.
 */
public final class SlurmQueue {
    /** One array task's state ({@code PENDING}, {@code RUNNING}, {@code FAILED}, …) and Slurm's reason. */
    public record Task(String state, String reason) {
        /** Still to run or running: the unit must not be submitted again. */
        public boolean active() {
            return ACTIVE.contains(state);
        }

        public boolean running() {
            return state.equals("RUNNING") || state.equals("COMPLETING") || state.equals("CONFIGURING");
        }

        public String describe() {
            return reason == null || reason.isBlank() || reason.equals("None") ? state : state + " (" + reason + ")";
        }
    }

    private static final Set<String> ACTIVE = Set.of("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED",
            "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED");

    private final Map<String, Task> tasks;
    private final boolean squeueAnswered;

    private SlurmQueue(Map<String, Task> tasks, boolean squeueAnswered) {
        this.tasks = tasks;
        this.squeueAnswered = squeueAnswered;
    }

    /** Nothing known (no Slurm here). */
    public static SlurmQueue none() {
        return new SlurmQueue(Map.of(), false);
    }

    /** The tasks of the given array jobs, as squeue and sacct report them now. */
    public static SlurmQueue query(SlurmTools tools, Collection<String> jobIds) {
        Map<String, Task> tasks = new HashMap<>();
        if (jobIds.isEmpty()) return new SlurmQueue(tasks, tools.has("squeue"));
        Set<String> ours = Set.copyOf(jobIds);
        if (tools.has("sacct")) {
            SlurmTools.Result r = tools.run("sacct", List.of("-n", "-P", "-X", "-j", String.join(",", jobIds),
                    "-o", "JobID,State"), 60);
            if (r.exit() == 0) {
                for (String line : r.out().lines().toList()) {
                    String[] f = line.strip().split("\\|", -1);
                    if (f.length >= 2 && f[0].matches("[0-9]+_[0-9]+") && ours.contains(f[0].substring(0, f[0].indexOf('_')))) {
                        tasks.put(f[0], new Task(f[1].split(" ")[0], null));
                    }
                }
            }
        }
        boolean answered = false;
        if (tools.has("squeue")) {
            SlurmTools.Result r = tools.run("squeue", List.of("--me", "-h", "-r", "-t", "all", "-o", "%F|%K|%T|%r"), 60);
            if (r.exit() == 0) {
                answered = true;
                for (String line : r.out().lines().toList()) {
                    String[] f = line.strip().split("\\|", -1);
                    if (f.length >= 4 && ours.contains(f[0]) && f[1].matches("[0-9]+")) {
                        tasks.put(f[0] + "_" + f[1], new Task(f[2], f[3]));
                    }
                }
            }
        }
        return new SlurmQueue(tasks, answered);
    }

    /** The task, or null when neither squeue nor sacct knows it (finished long ago, or never started). */
    public Task task(String jobId, int index) {
        return tasks.get(jobId + "_" + index);
    }

    /** Whether squeue answered: a started task it does not list is no longer running. */
    public boolean live() {
        return squeueAnswered;
    }

    /** "2 RUNNING, 8 PENDING (DependencyNeverSatisfied)": the active tasks of these jobs by state. */
    public String describeActive(Collection<String> jobIds) {
        Map<String, Integer> byState = new java.util.TreeMap<>();
        for (var e : tasks.entrySet()) {
            if (e.getValue().active() && jobIds.contains(e.getKey().substring(0, e.getKey().indexOf('_')))) {
                byState.merge(e.getValue().describe(), 1, Integer::sum);
            }
        }
        List<String> parts = new java.util.ArrayList<>();
        byState.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }

    /** Whether any task of these jobs is still queued or running. */
    public boolean anyActive(Collection<String> jobIds) {
        for (var e : tasks.entrySet()) {
            if (e.getValue().active() && jobIds.contains(e.getKey().substring(0, e.getKey().indexOf('_')))) return true;
        }
        return false;
    }
}
