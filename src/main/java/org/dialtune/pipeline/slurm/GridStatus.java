package org.dialtune.pipeline.slurm;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.dialtune.pipeline.GridPlan;
import org.dialtune.pipeline.GridUnit;
import org.dialtune.pipeline.UnitRecords;

/**
 * Where each unit of a run stands, from its files (done, failed, started) and from what Slurm says of
 * the array task that last had it. A unit is to be submitted again when it failed or has not started
 * (never submitted, or it left the queue without starting, e.g. cancelled while pending).
 */
public final class GridStatus {
    public enum State {
        DONE("done"), RUNNING("running"), PENDING("pending"), FAILED("failed"), NOT_STARTED("not started");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One unit's state, what explains it, its array task (or null) and that task's log (or null). */
    public record UnitStatus(GridUnit unit, State state, String detail, String task, Path log) {
        /** Failed or not started: the next submit runs it. */
        public boolean toRun() {
            return state == State.FAILED || state == State.NOT_STARTED;
        }

        /** In Slurm's hands now: pending or running. */
        public boolean active() {
            return state == State.PENDING || state == State.RUNNING;
        }
    }

    private final List<UnitStatus> units;

    private GridStatus(List<UnitStatus> units) {
        this.units = units;
    }

    public static GridStatus of(Path runDir, GridPlan plan, SubmissionLog log, SlurmQueue queue) {
        List<UnitStatus> all = new ArrayList<>();
        for (GridUnit u : plan.units()) all.add(of(runDir, u, log, queue));
        return new GridStatus(all);
    }

    private static UnitStatus of(Path runDir, GridUnit u, SubmissionLog log, SlurmQueue queue) {
        UnitRecords records = new UnitRecords(runDir, u);
        SubmissionLog.Array array = log.lastWith(u.index());
        String task = array == null ? null : array.jobId() + "_" + u.index();
        Path logFile = array == null ? null : SbatchScript.log(runDir, array.array(), array.jobId(), u.index());
        if (records.done()) return new UnitStatus(u, State.DONE, "", task, logFile);
        SlurmQueue.Task t = array == null ? null : queue.task(array.jobId(), u.index());
        if (t != null && t.active()) {
            return new UnitStatus(u, t.running() ? State.RUNNING : State.PENDING, t.describe(), task, logFile);
        }
        JsonObject failed = records.failed();
        if (failed != null) return new UnitStatus(u, State.FAILED, failed.get("error").getAsString(), task, logFile);
        if (t != null) return new UnitStatus(u, State.FAILED, "array task ended " + t.describe() + " without finishing", task, logFile);
        JsonObject started = records.started();
        if (started != null) {
            String where = "started " + started.get("started").getAsString() + " on " + started.get("host").getAsString();
            if (queue.live()) {
                return new UnitStatus(u, State.FAILED, where + ", stopped without finishing (killed, or out of time or memory?)",
                        task, logFile);
            }
            return new UnitStatus(u, State.RUNNING, where + "; no squeue here to tell whether it still runs", task, logFile);
        }
        if (array != null && queue.live()) {
            return new UnitStatus(u, State.NOT_STARTED, "array task " + task + " left the queue without starting (cancelled?)",
                    task, logFile);
        }
        return new UnitStatus(u, State.NOT_STARTED, array == null ? "not submitted" : "submitted as " + task, task, logFile);
    }

    public List<UnitStatus> units() {
        return List.copyOf(units);
    }

    public List<UnitStatus> in(State s) {
        return units.stream().filter(u -> u.state() == s).toList();
    }

    public Map<State, Integer> counts() {
        Map<State, Integer> c = new EnumMap<>(State.class);
        for (State s : State.values()) c.put(s, 0);
        for (UnitStatus u : units) c.merge(u.state(), 1, Integer::sum);
        return c;
    }

    /** "8 done, 1 running, 0 pending, 1 failed, 0 not started (of 10 units)". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        counts().forEach((s, n) -> parts.add(n + " " + s.label()));
        return String.join(", ", parts) + " (of " + units.size() + " units)";
    }
}
