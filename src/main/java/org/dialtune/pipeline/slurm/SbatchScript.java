package org.dialtune.pipeline.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.GridUnit;

/**
 * The batch script of one job array: every task runs one unit of the plan, the one at index
 * {@code $SLURM_ARRAY_TASK_ID} (array task numbers are plan indices, so a re-submission lists just the
 * unfinished ones: {@code --array=3,7-9}). All #SBATCH lines come before the first command, where sbatch
 * stops reading them; the dependency on the stages array is given on sbatch's command line, since its
 * job id is known only once that array is submitted.
 *
 * @param array "stages" or "cells": names the script, the jobs and the logs
 * @param command the dialtune command line of one unit, without {@code --array-index}
 */
public record SbatchScript(String gridName, String array, List<Integer> indices, SlurmOptions options, Path runDir,
                           Path workingDir, List<String> command) {
    public static final String STAGES = "stages";
    public static final String CELLS = "cells";

    /** Where the scripts and the per-task logs go, under the run directory. */
    public static Path slurmDir(Path runDir) {
        return runDir.resolve("slurm");
    }

    public Path file() {
        return slurmDir(runDir).resolve(array + ".sbatch");
    }

    /** A task's log: {@code %A} is the array's job id, {@code %a} the task number (the unit's plan index). */
    public Path logPattern() {
        return slurmDir(runDir).resolve("logs").resolve(array + "-%A_%a.log");
    }

    public static Path log(Path runDir, String array, String jobId, int index) {
        return slurmDir(runDir).resolve("logs").resolve(array + "-" + jobId + "_" + index + ".log");
    }

    public String text() {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("#SBATCH --job-name=dialtune-" + GridUnit.safe(gridName) + "-" + array);
        l.add("#SBATCH --array=" + arraySpec(indices, options.maxParallel()));
        l.add("#SBATCH --output=" + plain(logPattern(), "the run directory (--out)"));
        l.add("#SBATCH --chdir=" + plain(workingDir, "the working directory"));
        // a cell whose stage failed can never run (afterok): Slurm cancels it instead of holding it forever
        if (array.equals(CELLS)) l.add("#SBATCH --kill-on-invalid-dep=yes");
        for (String o : options.sbatchLines()) l.add("#SBATCH " + o);
        l.add("#");
        l.add("# dialtune experiment grid \"" + gridName + "\": " + (array.equals(STAGES) ? "the shared training stages"
                : "the cells (few-shot training and evaluation)") + ". Each array task runs one unit: the one at index");
        l.add("# $SLURM_ARRAY_TASK_ID of " + runDir.resolve("plan.json") + ", writing only that unit's files.");
        l.add("# Written by 'dialtune experiment submit'; submitting again rewrites it with the units still to do.");
        l.add("set -euo pipefail");
        if (options.cpusPerTask() != null) {
            l.add("# libtorch would otherwise start a thread per core of the whole node");
            l.add("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-" + options.cpusPerTask() + "}\"");
        }
        StringBuilder exec = new StringBuilder("exec");
        for (String a : command) exec.append(' ').append(quote(a));
        exec.append(" --array-index \"$SLURM_ARRAY_TASK_ID\"");
        l.add(exec.toString());
        return String.join("\n", l) + "\n";
    }

    /** Plan indices as a Slurm array: ranges of consecutive numbers, then {@code %N} for at most N at once. */
    static String arraySpec(List<Integer> indices, Integer maxParallel) {
        if (indices.isEmpty()) throw new IllegalArgumentException("an array needs at least one task");
        List<Integer> sorted = indices.stream().sorted().distinct().toList();
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
            if (s.length() > 0) s.append(',');
            s.append(sorted.get(i));
            if (j > i) s.append('-').append(sorted.get(j));
            i = j + 1;
        }
        if (maxParallel != null) s.append('%').append(maxParallel);
        return s.toString();
    }

    /** sbatch reads #SBATCH values up to the first blank: paths there must not hold one. */
    private static String plain(Path p, String what) {
        String s = p.toString();
        if (!s.matches("[^\\s'\"\\\\]+")) {
            throw new UserError(s + ": " + what + " has a blank or quote in its path, which #SBATCH lines cannot hold: "
                    + "use a path without one");
        }
        return s;
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
