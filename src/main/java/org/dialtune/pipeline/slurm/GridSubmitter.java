package org.dialtune.pipeline.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.UserError;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.GridUnit;

/**
 * Submits the units of a grid that still need to run as two Slurm job arrays: the shared training
 * stages, then the cells with {@code --dependency=afterok:<stages>}. Not {@code aftercorr}: that pairs
 * task i of one array with task i of the other, but a stage serves several cells (every shot count) and
 * cells of a condition without stages need none, so the two arrays have no task-by-task correspondence;
 * afterok starts the cells once every stage has succeeded (a failed stage makes the cells unrunnable,
 * and {@code --kill-on-invalid-dep=yes} has Slurm cancel them rather than hold them forever). Finished
 * units, and units whose array task is still pending or running, are not submitted again; a cell whose
 * stage is still queued from an earlier submission waits for that array too.
 */
public final class GridSubmitter {
    /** What was (or, in a dry run, would be) submitted: job ids are null in a dry run or when an array is empty. */
    public record Submission(SbatchScript stages, String stagesJob, SbatchScript cells, String cellsJob,
                             List<String> dependencies) {
        public List<String> jobIds() {
            List<String> ids = new ArrayList<>();
            if (stagesJob != null) ids.add(stagesJob);
            if (cellsJob != null) ids.add(cellsJob);
            return ids;
        }

        public boolean empty() {
            return stages == null && cells == null;
        }
    }

    private final SlurmTools tools;
    private final Consumer<String> say;

    public GridSubmitter(SlurmTools tools, Consumer<String> say) {
        this.tools = tools;
        this.say = say;
    }

    /**
     * @param unitCommand the dialtune command line that runs one unit of this grid, without --array-index
     * @param submitCommand the submit command line, recorded for status's "submit again" hint
     */
    public Submission submit(GridPlan plan, Path runDir, Path workingDir, List<String> unitCommand, SlurmOptions options,
                             List<String> submitCommand, boolean dryRun) {
        if (!dryRun) tools.require("sbatch");
        SubmissionLog log = SubmissionLog.read(runDir);
        SlurmQueue queue = tools.has("squeue") ? SlurmQueue.query(tools, log.jobIds()) : SlurmQueue.none();
        GridStatus status = GridStatus.of(runDir, plan, log, queue);
        List<Integer> stages = new ArrayList<>();
        List<Integer> cells = new ArrayList<>();
        Set<String> waitFor = new LinkedHashSet<>();
        for (GridStatus.UnitStatus s : status.units()) {
            GridUnit u = s.unit();
            if (s.active()) say.accept(u.kind().label() + " " + u.id() + ": " + s.state().label() + " as " + s.task() + ", not submitted again");
            if (!s.toRun()) continue;
            (u.isStage() ? stages : cells).add(u.index());
            if (u.needs() != null) {
                GridStatus.UnitStatus stage = status.units().get(plan.unit(u.needs()).index());
                if (stage.active()) waitFor.add(stage.task().substring(0, stage.task().indexOf('_')));
            }
        }
        int done = status.in(GridStatus.State.DONE).size();
        say.accept("experiment " + plan.name() + ": " + plan.units().size() + " units, " + done + " done; submitting "
                + stages.size() + " stages and " + cells.size() + " cells");
        SbatchScript stageScript = stages.isEmpty() ? null : script(plan, SbatchScript.STAGES, stages, options, runDir, workingDir, unitCommand);
        SbatchScript cellScript = cells.isEmpty() ? null : script(plan, SbatchScript.CELLS, cells, options, runDir, workingDir, unitCommand);
        if (stageScript == null && cellScript == null) return new Submission(null, null, null, null, List.of(waitFor.toArray(String[]::new)));
        if (dryRun) {
            List<String> deps = new ArrayList<>(waitFor);
            if (stageScript != null) deps.add(0, "<stages job id>");
            return new Submission(stageScript, null, cellScript, null, deps);
        }
        plan.writeIn(runDir);
        try {
            Files.createDirectories(SbatchScript.slurmDir(runDir).resolve("logs"));
        } catch (java.io.IOException e) {
            throw new UserError(runDir + ": cannot create slurm/logs: " + e.getMessage(), e);
        }
        String stagesJob = null;
        if (stageScript != null) {
            stagesJob = sbatch(stageScript, List.of());
            log.add(SbatchScript.STAGES, stagesJob, stages, null, submitCommand);
            say.accept("submitted stages array " + stagesJob + " (" + stages.size() + " tasks: --array="
                    + SbatchScript.arraySpec(stages, options.maxParallel()) + ")");
        }
        List<String> deps = new ArrayList<>(waitFor);
        if (stagesJob != null) deps.add(0, stagesJob);
        String cellsJob = null;
        if (cellScript != null) {
            String dependency = deps.isEmpty() ? null : "afterok:" + String.join(":", deps);
            cellsJob = sbatch(cellScript, dependency == null ? List.of() : List.of("--dependency=" + dependency));
            log.add(SbatchScript.CELLS, cellsJob, cells, dependency, submitCommand);
            say.accept("submitted cells array " + cellsJob + " (" + cells.size() + " tasks: --array="
                    + SbatchScript.arraySpec(cells, options.maxParallel()) + ")" + (dependency == null ? "" : " after " + dependency));
        }
        say.accept("logs: " + SbatchScript.slurmDir(runDir).resolve("logs") + "; progress: dialtune experiment status " + runDir);
        return new Submission(stageScript, stagesJob, cellScript, cellsJob, deps);
    }

    private static SbatchScript script(GridPlan plan, String array, List<Integer> indices, SlurmOptions options, Path runDir,
                                       Path workingDir, List<String> command) {
        return new SbatchScript(plan.name(), array, indices, options, runDir, workingDir, command);
    }

    /** Writes the script and submits it; returns the job id or a one-line error with sbatch's complaint. */
    private String sbatch(SbatchScript script, List<String> extra) {
        AtomicFiles.writeString(script.file(), script.text());
        List<String> args = new ArrayList<>(List.of("--parsable"));
        args.addAll(extra);
        args.add(script.file().toString());
        SlurmTools.Result r = tools.run("sbatch", args, 120);
        String id = r.out().strip().split(";")[0];
        if (r.exit() != 0 || !id.matches("[0-9]+")) {
            throw new UserError("sbatch refused the " + script.array() + " array (" + script.file() + "): " + r.firstErrorLine());
        }
        return id;
    }
}
