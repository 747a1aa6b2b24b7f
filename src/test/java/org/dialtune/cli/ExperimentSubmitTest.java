package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.testing.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * experiment submit / status / run --unit against a fake Slurm (sbatch records what it is given and
 * answers job ids; squeue prints what the test says the queue holds), on the tiny grid cut to one seed and
 * zero shots: one stage and two cells, each run here for real as its array task would run it.
 * The real-Slurm end-to-end check is .ci/slurm-grid.
 */
class ExperimentSubmitTest {
    @TempDir Path dir;
    private Path fake;
    private Path spec;
    private Path out;

    private static final String STAGE = "pretrain|tiny|in-domain|demo|s1|i-on";
    private static final String PLAIN = "tiny|none|demo|k0|s1|i-on";
    private static final String TRAINED = "tiny|in-domain|demo|k0|s1|i-on";

    @BeforeEach
    void fakeSlurm() throws IOException {
        fake = Files.createDirectories(dir.resolve("fake-bin"));
        script("sbatch", """
                #!/bin/bash
                d="$(dirname "$0")"
                n=$(( $(cat "$d/next-id" 2>/dev/null || echo 100) + 1 ))
                echo "$n" > "$d/next-id"
                printf '%s\\n' "$@" > "$d/sbatch-$n.args"
                cp "${@: -1}" "$d/sbatch-$n.script"
                echo "$n"
                """);
        script("squeue", "#!/bin/bash\ncat \"$(dirname \"$0\")/squeue.out\" 2>/dev/null\nexit 0\n");
        System.setProperty("dialtune.slurm.path", fake.toString());
        out = dir.resolve("run");
    }

    @AfterEach
    void realPath() {
        System.clearProperty("dialtune.slurm.path");
    }

    private void script(String name, String text) throws IOException {
        Path p = fake.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void queue(String... lines) throws IOException {
        Files.writeString(fake.resolve("squeue.out"), String.join("\n", lines) + "\n");
    }

    /** The tiny grid cut to seed 1 and zero shots, on the shared tiny checkpoint; its paths absolute. */
    private String[] common(String... more) throws IOException {
        if (spec == null) {
            Path model = SharedData.tinyModelWithTokenizer("models/tiny-bart-std0.2", dir.resolve("tiny"));
            spec = dir.resolve("grid.json");
            Files.writeString(spec, Files.readString(Path.of("eval/experiments/tiny-grid.json"))
                    .replace("runs/tiny-model", model.toString())
                    .replace("eval/", Path.of("eval").toAbsolutePath() + "/")
                    .replace("\"seeds\": [1, 2]", "\"seeds\": [1]").replace("\"shots\": [0, 10]", "\"shots\": [0]"));
        }
        List<String> a = new ArrayList<>(List.of(more));
        a.addAll(List.of("--data", Path.of("eval/demo/data").toAbsolutePath().toString(),
                "--tasks-dir", Path.of("tasks").toAbsolutePath().toString()));
        return a.toArray(String[]::new);
    }

    private String[] submit(String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("experiment", "submit", "SPEC", "--out", out.toString(), "--scheduler", "slurm",
                "--cpus-per-task", "1"));
        a.addAll(List.of(more));
        String[] c = common(a.toArray(String[]::new));
        c[2] = spec.toString();
        return c;
    }

    private CliRunner.Result unit(String option, String value) throws IOException {
        String[] c = common("experiment", "run", "SPEC", "--out", out.toString(), option, value);
        c[2] = spec.toString();
        return CliRunner.run(c);
    }

    @Test
    void unitsRunAloneAndResubmittingRedoesOnlyTheCancelledTask() throws IOException {
        CliRunner.Result first = CliRunner.run(submit());
        assertEquals(0, first.exitCode(), first.err() + first.out());
        assertTrue(first.out().contains("submitted stages array 101 (1 tasks: --array=0)"), first.out());
        assertTrue(first.out().contains("submitted cells array 102 (2 tasks: --array=1-2) after afterok:101"), first.out());
        assertEquals(List.of("--parsable", out.resolve("slurm/stages.sbatch").toString()), Files.readAllLines(fake.resolve("sbatch-101.args")));
        assertEquals(List.of("--parsable", "--dependency=afterok:101", out.resolve("slurm/cells.sbatch").toString()),
                Files.readAllLines(fake.resolve("sbatch-102.args")));
        assertTrue(Files.readString(fake.resolve("sbatch-102.script")).contains("#SBATCH --array=1-2\n"));
        assertTrue(Files.isRegularFile(out.resolve("plan.json")));

        // a cell whose stage has not run stops with an error naming it
        CliRunner.Result early = unit("--array-index", "2");
        assertEquals(2, early.exitCode(), early.out());
        assertTrue(early.err().contains("cell " + TRAINED + " needs stage " + STAGE + ", which has not finished"), early.err());
        assertEquals(1, early.err().lines().count(), early.err());

        // the array tasks: the stage (index 0), one cell by id; the other cell's task is cancelled
        CliRunner.Result stage = unit("--array-index", "0");
        assertEquals(0, stage.exitCode(), stage.err() + stage.out());
        assertEquals(0, unit("--unit", PLAIN).exitCode());
        queue("101|0|COMPLETED|None", "102|1|COMPLETED|None", "102|2|CANCELLED|None");
        CliRunner.Result status = CliRunner.run("experiment", "status", out.toString());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("2 done, 0 running, 0 pending, 1 failed, 0 not started (of 3 units)"), status.out());
        assertTrue(status.out().contains("failed  cell " + TRAINED + "  [102_2]: array task ended CANCELLED without finishing (log: "
                + out.resolve("slurm/logs/cells-102_2.log") + ")"), status.out());
        assertTrue(status.out().contains("results: " + out.resolve("results.csv") + " (3 rows from 1 finished cells)"), status.out());
        assertTrue(status.out().contains("to run the 1 failed or not started units (finished and queued units are skipped): cd "),
                status.out());
        assertTrue(status.out().contains("&& dialtune experiment submit " + spec + " --out " + out + " --scheduler slurm"), status.out());

        // submitting again submits the cancelled cell alone, with no stage to wait for
        CliRunner.Result again = CliRunner.run(submit());
        assertEquals(0, again.exitCode(), again.err() + again.out());
        assertTrue(again.out().contains("3 units, 2 done; submitting 0 stages and 1 cells"), again.out());
        assertEquals(List.of("--parsable", out.resolve("slurm/cells.sbatch").toString()), Files.readAllLines(fake.resolve("sbatch-103.args")));
        assertTrue(Files.readString(fake.resolve("sbatch-103.script")).contains("#SBATCH --array=2\n"));

        // while that task runs, a third submit leaves it alone
        queue("101|0|COMPLETED|None", "102|1|COMPLETED|None", "102|2|CANCELLED|None", "103|2|RUNNING|None");
        CliRunner.Result third = CliRunner.run(submit());
        assertTrue(third.out().contains("cell " + TRAINED + ": running as 103_2, not submitted again"), third.out());
        assertTrue(third.out().contains("submitting 0 stages and 0 cells"), third.out());
        assertFalse(Files.exists(fake.resolve("sbatch-104.args")));

        CliRunner.Result redo = unit("--array-index", "2");
        assertEquals(0, redo.exitCode(), redo.err() + redo.out());
        queue("101|0|COMPLETED|None", "102|1|COMPLETED|None", "103|2|COMPLETED|None");
        CliRunner.Result end = CliRunner.run("experiment", "status", out.toString());
        assertTrue(end.out().contains("3 done, 0 running, 0 pending, 0 failed, 0 not started (of 3 units)"), end.out());
        assertFalse(end.out().contains("to run the"), end.out());
        CliRunner.Result skipped = unit("--unit", PLAIN);
        assertTrue(skipped.out().contains("cell " + PLAIN + ": finished earlier"), skipped.out());

        // the units' results are those of the whole grid run in one process (wall times aside)
        Path whole = dir.resolve("whole");
        String[] run = common("experiment", "run", spec.toString(), "--out", whole.toString());
        assertEquals(0, CliRunner.run(run).exitCode());
        assertEquals(withoutTimes(new ResultStore(whole.resolve("results.csv")).read()),
                withoutTimes(new ResultStore(out.resolve("results.csv")).read()));
        assertEquals(6, new ResultStore(out.resolve("results.csv")).read().size());
    }

    private static List<ResultRow> withoutTimes(List<ResultRow> rows) {
        return rows.stream().map(r -> new ResultRow(r.cell(), r.model(), r.stages(), r.split(), r.shots(), r.seed(), r.instructions(),
                r.task(), r.instructionId(), r.metric(), r.value(), r.examples(), 0, r.commit(), r.taskRole())).toList();
    }

    /** sbatch options a script may carry; anything else is a typo sbatch would refuse. */
    private static final Set<String> SBATCH_OPTIONS = Set.of("--job-name", "--array", "--output", "--chdir",
            "--kill-on-invalid-dep", "--partition", "--account", "--cpus-per-task", "--gpus-per-task", "--mem", "--time", "--qos");

    @Test
    void dryRunPrintsValidScriptsAndWritesNothing() throws IOException, InterruptedException {
        System.setProperty("dialtune.slurm.path", dir.resolve("no-slurm-here").toString());
        CliRunner.Result r = CliRunner.run(submit("--dry-run", "--partition", "gpu,debug", "--mem", "16G", "--time", "1-00:00:00",
                "--account", "lab", "--max-parallel", "2", "--sbatch-arg=--qos=normal"));
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertFalse(Files.exists(out), "a dry run writes nothing");
        String[] parts = r.out().split("(?m)^# ---- .*(stages|cells)\\.sbatch ----\n");
        assertEquals(3, parts.length, r.out());
        String stages = parts[1];
        String cells = parts[2].substring(0, parts[2].indexOf("# ---- would submit with ----"));
        for (String script : List.of(stages, cells)) {
            List<String> lines = script.lines().toList();
            assertEquals("#!/bin/bash", lines.get(0));
            int firstCommand = 1;
            while (lines.get(firstCommand).startsWith("#")) firstCommand++;
            // sbatch reads #SBATCH lines only up to the first command
            for (int i = firstCommand; i < lines.size(); i++) assertFalse(lines.get(i).startsWith("#SBATCH"), script);
            for (String l : lines.subList(1, firstCommand)) {
                if (!l.startsWith("#SBATCH")) continue;
                var m = Pattern.compile("#SBATCH (--[a-z-]+)=(\\S+)").matcher(l);
                assertTrue(m.matches(), l);
                assertTrue(SBATCH_OPTIONS.contains(m.group(1)), l);
            }
            assertTrue(script.contains("#SBATCH --partition=gpu,debug\n#SBATCH --account=lab\n#SBATCH --cpus-per-task=1\n"
                    + "#SBATCH --mem=16G\n#SBATCH --time=1-00:00:00\n#SBATCH --qos=normal\n"), script);
            assertTrue(script.contains("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n"), script);
            assertTrue(script.contains(" experiment run " + spec + " --out " + out + " --data "), script);
            assertTrue(script.endsWith(" --array-index \"$SLURM_ARRAY_TASK_ID\"\n"), script);
            Path f = dir.resolve("check.sh");
            Files.writeString(f, script);
            Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        }
        assertTrue(stages.contains("#SBATCH --array=0%2\n#SBATCH --output=" + out.resolve("slurm/logs/stages-%A_%a.log") + "\n"), stages);
        assertFalse(stages.contains("--kill-on-invalid-dep"), stages);
        assertTrue(cells.contains("#SBATCH --array=1-2%2\n"), cells);
        assertTrue(cells.contains("#SBATCH --kill-on-invalid-dep=yes\n"), cells);
        assertTrue(r.out().contains("sbatch --parsable --dependency=afterok:<stages job id> " + out.resolve("slurm/cells.sbatch")), r.out());
    }

    @Test
    void badSchedulerOptionsAndAMissingSbatchAreOneLineErrors() throws IOException {
        assertError(submit("--time", "2h"), "--time: \"2h\" is not a Slurm time limit: MINUTES, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS");
        assertError(submit("--mem", "lots"), "--mem: \"lots\" is not a size such as 16G or 16000 (MB); suffixes K, M, G, T");
        assertError(submit("--max-parallel", "0"), "--max-parallel: \"0\" is not at least 1 task at a time");
        assertError(submit("--partition", "gpu queue"), "--partition: \"gpu queue\" is not a partition name (or a comma-separated list)");
        assertError(submit("--sbatch-arg=--array=1-3"), "--sbatch-arg: --array is set by dialtune for every unit");
        assertError(submit("--sbatch-arg=qos"), "--sbatch-arg: \"qos\" is not one sbatch option on one line");
        assertError(submit("--gpus-per-task", "1"), "--gpus-per-task 1 with --device cpu: the units would not use the GPUs; add --device gpu");
        String[] pbs = submit();
        pbs[6] = "pbs";
        assertError(pbs, "--scheduler: unknown scheduler \"pbs\" (supported: slurm)");
        System.setProperty("dialtune.slurm.path", dir.resolve("no-slurm-here").toString());
        assertError(submit(), "sbatch: not found on PATH: submit from a machine with Slurm's client commands");
        assertFalse(Files.exists(out.resolve("slurm")), "nothing is written when sbatch is missing");
    }

    private static void assertError(String[] args, String expected) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("dialtune: error: " + expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
