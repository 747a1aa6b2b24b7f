package org.dialtune.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.eval.results.ResultRow;
import org.dialtune.eval.results.ResultStore;
import org.dialtune.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny grid as units: ids, order, dependencies, stability, the plan file, unit records and result assembly. */
class GridPlanTest {
    @TempDir Path dir;

    private static final String STAGE_1 = "pretrain|tiny|in-domain|demo|s1|i-on";
    private static final String STAGE_2 = "pretrain|tiny|in-domain|demo|s2|i-on";

    private GridPlan plan(String grid, Precision precision) throws IOException {
        Path spec = dir.resolve("grid-" + Integer.toHexString(grid.hashCode()) + ".json");
        Files.writeString(spec, grid);
        ExperimentSpec x = ExperimentSpec.load(spec, Path.of("").toAbsolutePath());
        return GridPlan.of(x, precision, f -> Json.parseFile(f).getAsJsonObject().get("name").getAsString());
    }

    private static String tinyGrid() throws IOException {
        return Files.readString(Path.of("eval/experiments/tiny-grid.json"));
    }

    /**
     * The methods and budgets factors multiply the units that train; a cell that trains nothing (no stages,
     * 0 shots) is one whatever the method and budget, and keeps the id it always had; the plan file keeps both.
     */
    @Test
    void methodsAndBudgetsAreFactorsOfTheUnitsThatTrain() throws IOException {
        GridPlan p = plan(Files.readString(Path.of("eval/experiments/tiny-methods-budgets.json")), Precision.FP32);
        assertEquals(12, p.stages().size());
        assertEquals(12, p.cells().size());
        assertEquals("pretrain|tiny|in-domain|demo|s1|i-on|m-full|b3e11", p.units().get(0).id());
        assertEquals("pretrain|tiny|in-domain|demo|s1|i-on|m-lora|b3e12", p.units().get(11).id());
        GridUnit cell = p.unit("tiny|in-domain|demo|k0|s1|i-on|m-bitfit|b1e12");
        assertEquals("pretrain|tiny|in-domain|demo|s1|i-on|m-bitfit|b1e12", cell.needs());
        assertEquals("bitfit", cell.method());
        assertEquals(1e12, cell.budgetFlops());
        assertEquals("pretrain/tiny-in-domain-demo-ion-s1-m-bitfit-b1e12", p.unit(cell.needs()).workDir());
        assertTrue(p.sameUnits(GridPlan.fromJson(p.toJson(), dir.resolve("plan.json"))));
        assertEquals(p.toJson(), GridPlan.fromJson(p.toJson(), dir.resolve("plan.json")).toJson());

        String mixed = tinyGrid().replace("\"few_shot\"", "\"methods\": {\"full\": {}, \"lora\": {\"kind\": \"lora\"}},"
                + " \"budgets\": [1.5e13], \"few_shot\"");
        GridPlan m = plan(mixed, Precision.FP32);
        assertEquals(List.of("tiny|none|demo|k0|s1|i-on", "tiny|none|demo|k10|s1|i-on|m-full|b1.5e13",
                "tiny|none|demo|k10|s1|i-on|m-lora|b1.5e13"), m.cells().stream().map(GridUnit::id).limit(3).toList());
        assertEquals("", m.unit("tiny|none|demo|k0|s1|i-on").method());
        assertEquals(2 * 2, m.stages().size());
        assertEquals(2 * (1 + 2) + 2 * 4, m.cells().size());
        UserError bad = assertThrows(UserError.class, () -> plan(tinyGrid().replace("\"few_shot\"", "\"budgets\": [0], \"few_shot\""),
                Precision.FP32));
        assertTrue(bad.getMessage().contains("field \"budgets\": items must be FLOP counts > 0, got 0"), bad.getMessage());
    }

    @Test
    void tinyGridIsTwoSharedStagesThenEightCellsThatNeedThem() throws IOException {
        GridPlan p = plan(tinyGrid(), Precision.FP32);
        assertEquals(List.of(STAGE_1, STAGE_2,
                "tiny|none|demo|k0|s1|i-on", "tiny|none|demo|k10|s1|i-on", "tiny|none|demo|k0|s2|i-on", "tiny|none|demo|k10|s2|i-on",
                "tiny|in-domain|demo|k0|s1|i-on", "tiny|in-domain|demo|k10|s1|i-on", "tiny|in-domain|demo|k0|s2|i-on",
                "tiny|in-domain|demo|k10|s2|i-on"), p.units().stream().map(GridUnit::id).toList());
        for (int i = 0; i < p.units().size(); i++) assertEquals(i, p.units().get(i).index());
        assertEquals(2, p.stages().size());
        // cells of the condition that trains nothing need no stage; in-domain cells need their seed's stage
        assertNull(p.unit("tiny|none|demo|k10|s2|i-on").needs());
        assertEquals(STAGE_1, p.unit("tiny|in-domain|demo|k0|s1|i-on").needs());
        assertEquals(STAGE_1, p.unit("tiny|in-domain|demo|k10|s1|i-on").needs());
        assertEquals(STAGE_2, p.unit("tiny|in-domain|demo|k10|s2|i-on").needs());
        // the directories grids have always used, so earlier runs resume into them
        assertEquals("pretrain/tiny-in-domain-demo-ion-s1", p.unit(STAGE_1).workDir());
        assertEquals("cells/tiny_in-domain_demo_k10_s1_i-on", p.unit("tiny|in-domain|demo|k10|s1|i-on").workDir());
        assertEquals(STAGE_2, p.atIndex(1).id());
    }

    @Test
    void idsStayWhenTheGridGrowsWhileIndicesMove() throws IOException {
        GridPlan small = plan(tinyGrid(), Precision.FP32);
        GridPlan big = plan(tinyGrid().replace("\"seeds\": [1, 2]", "\"seeds\": [1, 2, 3]")
                .replace("\"shots\": [0, 10]", "\"shots\": [0, 10, 50]"), Precision.FP32);
        assertEquals(3 + 18, big.units().size());
        for (GridUnit u : small.units()) {
            GridUnit same = big.unit(u.id());
            assertEquals(u.needs(), same.needs(), u.id());
            assertEquals(u.workDir(), same.workDir(), u.id());
        }
        assertNotEquals(small.unit("tiny|none|demo|k0|s1|i-on").index(), big.unit("tiny|none|demo|k0|s1|i-on").index(),
                "an index means a unit only against its own plan: hence plan.json");
        assertEquals(small.toJson(), plan(tinyGrid(), Precision.FP32).toJson(), "the same grid gives the same plan");
    }

    @Test
    void fp16UnitsAreTheirOwn() throws IOException {
        GridPlan p = plan(tinyGrid(), Precision.FP16);
        assertEquals(STAGE_1 + "|fp16", p.units().get(0).id());
        assertEquals("pretrain/tiny-in-domain-demo-ion-s1-fp16", p.units().get(0).workDir());
        assertEquals("tiny|in-domain|demo|k0|s1|i-on|fp16", p.unit("tiny|in-domain|demo|k0|s1|i-on|fp16").id());
        assertEquals(STAGE_1 + "|fp16", p.unit("tiny|in-domain|demo|k0|s1|i-on|fp16").needs());
    }

    @Test
    void planFileRoundTripsAndARunDirectoryKeepsOneGrid() throws IOException {
        GridPlan p = plan(tinyGrid(), Precision.FP32);
        Path run = dir.resolve("run");
        p.writeIn(run);
        GridPlan back = GridPlan.readIn(run);
        assertEquals(p, back);
        p.writeIn(run); // the same plan again is fine
        GridPlan other = plan(tinyGrid().replace("\"seeds\": [1, 2]", "\"seeds\": [1]"), Precision.FP32);
        UserError e = assertThrows(UserError.class, () -> other.writeIn(run));
        assertTrue(e.getMessage().contains("plan.json: this run directory holds the plan of") && e.getMessage().contains("use another --out"),
                e.getMessage());
        assertEquals("--array-index: 10 is outside the plan of " + p.spec() + " (indices 0-9)",
                assertThrows(UserError.class, () -> p.atIndex(10)).getMessage());
        assertTrue(assertThrows(UserError.class, () -> p.unit("tiny|none")).getMessage()
                .startsWith("--unit: no unit \"tiny|none\" in "));
    }

    @Test
    void idsThatWouldShareADirectoryAreRefused() throws IOException {
        String grid = tinyGrid().replace("\"models\": {\"tiny\": \"runs/tiny-model\"}",
                "\"models\": {\"a|b\": \"runs/m1\", \"a_b\": \"runs/m2\"}");
        UserError e = assertThrows(UserError.class, () -> plan(grid, Precision.FP32));
        assertTrue(e.getMessage().contains("would share the directory pretrain_a_b_in-domain_demo_s1_i-on"), e.getMessage());
    }

    @Test
    void unitRecordsCarryTheSlurmTaskAndTheAttemptsOutcome() throws IOException {
        GridPlan p = plan(tinyGrid(), Precision.FP32);
        GridUnit cell = p.unit("tiny|none|demo|k0|s1|i-on");
        UnitRecords r = new UnitRecords(dir, cell);
        JsonObject first = r.start(cell, "abc123", Map.of("SLURM_JOB_ID", "4711", "SLURM_ARRAY_JOB_ID", "4709",
                "SLURM_ARRAY_TASK_ID", "2", "HOME", "/root"));
        assertEquals("4711", r.started().getAsJsonObject("slurm").get("SLURM_JOB_ID").getAsString());
        assertEquals("2", r.started().getAsJsonObject("slurm").get("SLURM_ARRAY_TASK_ID").getAsString());
        assertEquals(3, r.started().getAsJsonObject("slurm").size(), "only Slurm's variables are recorded");
        r.fail(first, new UserError("out of data\nsecond line"));
        assertEquals("out of data", r.failed().get("error").getAsString());
        JsonObject second = r.start(cell, "abc123", Map.of());
        assertNull(r.failed(), "a failure of an earlier attempt is not this attempt's");
        assertTrue(!r.done());
        ResultRow row = new ResultRow(cell.id(), "tiny", "none", "demo", 0, 1, "on", "clinc150-intent", "sampled",
                "rank_accuracy", 0.25, 4, 1.5, "abc123");
        r.finish(second, List.of(row), new JsonObject());
        assertTrue(r.done());
        assertEquals(List.of(row), r.rows());
        assertEquals("abc123", r.doneRecord().get("commit").getAsString());
    }

    @Test
    void resultsAreAssembledInPlanOrderAndOldRunDirectoriesBecomeUnits() throws IOException {
        GridPlan p = plan(tinyGrid(), Precision.FP32);
        Path run = dir.resolve("old");
        // a results.csv as grids wrote it before units: two cells, appended in turn
        ResultStore legacy = new ResultStore(run.resolve("results.csv"));
        ResultRow later = row("tiny|in-domain|demo|k0|s1|i-on", 0.5);
        ResultRow earlier = row("tiny|none|demo|k0|s1|i-on", 0.25);
        legacy.appendCell(List.of(later));
        legacy.appendCell(List.of(earlier));
        ResultAssembler.Assembled a = ResultAssembler.assemble(run, p);
        assertEquals(2, a.cells());
        assertEquals(List.of(earlier, later), legacy.read(), "plan order");
        assertTrue(new UnitRecords(run, p.unit("tiny|none|demo|k0|s1|i-on")).done(), "the old cell is a finished unit");
        // a cell of another grid in the same directory (fp16, say) stays in results.csv
        GridUnit fp16 = plan(tinyGrid(), Precision.FP16).unit("tiny|none|demo|k0|s1|i-on|fp16");
        UnitRecords r = new UnitRecords(run, fp16);
        ResultRow half = row(fp16.id(), 0.75);
        r.finish(r.start(fp16, "c", Map.of()), List.of(half), new JsonObject());
        ResultAssembler.assemble(run, p);
        assertEquals(List.of(earlier, later, half), legacy.read());
        // a started cell without done.json contributes nothing
        GridUnit unfinished = p.unit("tiny|none|demo|k10|s1|i-on");
        new UnitRecords(run, unfinished).start(unfinished, "c", Map.of());
        assertEquals(3, ResultAssembler.assemble(run, p).rows());
    }

    private static ResultRow row(String cell, double value) {
        return new ResultRow(cell, "tiny", "none", "demo", 0, 1, "on", "clinc150-intent", "sampled", "rank_accuracy", value, 4,
                1.0, "c");
    }
}
