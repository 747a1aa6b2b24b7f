package org.dialtune.pipeline.slurm;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dialtune.common.UserError;

/**
 * What each array task asks Slurm for, checked before anything is written or submitted so that a typo
 * is a one-line error here rather than a refused job (or one that silently asks for the wrong thing).
 * Null means "not set" (the cluster's default). {@code extra} are further sbatch options, passed as given.
 */
public record SlurmOptions(String partition, String gpusPerTask, Integer cpusPerTask, String mem, String time,
                           Integer maxParallel, String account, List<String> extra) {
    private static final Pattern NAMES = Pattern.compile("[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*");
    private static final Pattern GPUS = Pattern.compile("([A-Za-z0-9_.-]+:)?[0-9]+");
    private static final Pattern MEM = Pattern.compile("[0-9]+[KMGTkmgt]?");
    /** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
    private static final Pattern TIME = Pattern.compile("[0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}"
            + "|[0-9]+-[0-9]{1,2}(:[0-9]{1,2}(:[0-9]{1,2})?)?|UNLIMITED|INFINITE");
    /** Options dialtune sets itself in every script; given again through --sbatch-arg they would contradict it. */
    private static final Set<String> OWN = Set.of("--array", "-a", "--dependency", "-d", "--output", "-o", "--error", "-e",
            "--chdir", "-D", "--job-name", "-J", "--parsable", "--wrap", "--kill-on-invalid-dep", "--open-mode");

    public SlurmOptions {
        extra = List.copyOf(extra);
        if (partition != null && !NAMES.matcher(partition).matches()) {
            throw bad("--partition", partition, "a partition name (or a comma-separated list)");
        }
        if (account != null && !NAMES.matcher(account).matches()) throw bad("--account", account, "an account name");
        if (gpusPerTask != null && !GPUS.matcher(gpusPerTask).matches()) {
            throw bad("--gpus-per-task", gpusPerTask, "a count, or TYPE:COUNT such as a100:1");
        }
        if (cpusPerTask != null && cpusPerTask < 1) throw bad("--cpus-per-task", cpusPerTask.toString(), "at least 1");
        if (mem != null && !MEM.matcher(mem).matches()) throw bad("--mem", mem, "a size such as 16G or 16000 (MB); suffixes K, M, G, T");
        if (time != null && !TIME.matcher(time).matches()) {
            throw bad("--time", time, "a Slurm time limit: MINUTES, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS");
        }
        if (maxParallel != null && maxParallel < 1) throw bad("--max-parallel", maxParallel.toString(), "at least 1 task at a time");
        for (String a : extra) {
            if (!a.startsWith("-") || a.contains("\n") || a.contains("\r")) {
                throw bad("--sbatch-arg", a, "one sbatch option on one line, such as --qos=normal or --constraint=a100");
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a.split(" ", 2)[0];
            if (OWN.contains(name)) {
                throw new UserError("--sbatch-arg: " + name + " is set by dialtune for every unit (arrays, dependencies, logs,"
                        + " working directory); leave it out");
            }
        }
    }

    private static UserError bad(String option, String value, String expected) {
        return new UserError(option + ": \"" + value + "\" is not " + expected);
    }

    /** The #SBATCH options these settings stand for, in a fixed order. */
    List<String> sbatchLines() {
        List<String> lines = new java.util.ArrayList<>();
        if (partition != null) lines.add("--partition=" + partition);
        if (account != null) lines.add("--account=" + account);
        if (cpusPerTask != null) lines.add("--cpus-per-task=" + cpusPerTask);
        if (gpusPerTask != null) lines.add("--gpus-per-task=" + gpusPerTask);
        if (mem != null) lines.add("--mem=" + mem);
        if (time != null) lines.add("--time=" + time);
        lines.addAll(extra);
        return lines;
    }

    /** Whether the tasks ask for at least one GPU. */
    public boolean wantsGpus() {
        return gpusPerTask != null && !gpusPerTask.matches("(.*:)?0+");
    }
}
