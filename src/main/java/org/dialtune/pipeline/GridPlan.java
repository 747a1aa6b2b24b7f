package org.dialtune.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.Precision;

/**
 * An experiment grid as units (see {@link GridUnit}): first the shared training stages, then the cells,
 * each in the grid's factor order (model, condition, split, instructions, seed, method, budget, shots). A run directory
 * keeps the plan it was submitted or run with in {@code plan.json}, so that an array task number always
 * means the unit it meant at submission, and {@code experiment status} can list what is left.
 */
public record GridPlan(String name, Path spec, String precision, List<GridUnit> units) {
    public static final String FILE = "plan.json";

    public GridPlan {
        units = List.copyOf(units);
    }

    /** The plan of {@code x} in {@code precision}; {@code splitName} reads a split file's name (checked against the tasks). */
    public static GridPlan of(ExperimentSpec x, Precision precision, Function<Path, String> splitName) {
        String tag = precision == Precision.FP32 ? "" : "|" + precision.label();
        List<GridUnit> stages = new ArrayList<>();
        List<GridUnit> cells = new ArrayList<>();
        for (String model : x.models().keySet()) {
            for (var condition : x.conditions().entrySet()) {
                for (Path splitFile : x.splits()) {
                    String split = splitName.apply(splitFile);
                    for (String instructions : x.instructions()) {
                        for (long seed : x.seeds()) {
                            for (String method : x.methodIds()) {
                                for (double budget : x.budgetValues()) {
                                    String compute = GridUnit.computeTag(method, budget);
                                    String stage = null;
                                    if (!condition.getValue().isEmpty()) {
                                        stage = GridUnit.stageId(model, condition.getKey(), split, seed, instructions, compute, tag);
                                        stages.add(new GridUnit(0, stage, GridUnit.Kind.STAGE, null, model, condition.getKey(),
                                                splitFile, split, 0, seed, instructions, GridUnit.pretrainDir(model,
                                                condition.getKey(), split, seed, instructions, compute, tag), method, budget));
                                    }
                                    for (int shots : x.shots()) {
                                        // a cell that trains nothing is the same under every method and budget: one
                                        boolean trains = stage != null || shots > 0;
                                        if (!trains && (!method.equals(x.methodIds().get(0)) || Double.compare(budget, x.budgetValues().get(0)) != 0)) {
                                            continue;
                                        }
                                        String m = trains ? method : "";
                                        double b = trains ? budget : Double.NaN;
                                        String cell = GridUnit.cellId(model, condition.getKey(), split, shots, seed, instructions,
                                                GridUnit.computeTag(m, b), tag);
                                        cells.add(new GridUnit(0, cell, GridUnit.Kind.CELL, stage, model, condition.getKey(),
                                                splitFile, split, shots, seed, instructions, "cells/" + GridUnit.safe(cell), m, b));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        List<GridUnit> all = new ArrayList<>();
        for (GridUnit u : stages) all.add(at(all.size(), u));
        for (GridUnit u : cells) all.add(at(all.size(), u));
        GridPlan plan = new GridPlan(x.name(), x.file().toAbsolutePath().normalize(), precision.label(), all);
        plan.requireDistinctFileNames(x.file());
        return plan;
    }

    private static GridUnit at(int index, GridUnit u) {
        return new GridUnit(index, u.id(), u.kind(), u.needs(), u.model(), u.condition(), u.splitFile(), u.split(),
                u.shots(), u.seed(), u.instructions(), u.workDir(), u.method(), u.budgetFlops());
    }

    /** Two ids that differ only in characters a file name cannot hold would share a directory: refused. */
    private void requireDistinctFileNames(Path file) {
        Map<String, String> seen = new HashMap<>();
        for (GridUnit u : units) {
            String other = seen.putIfAbsent(u.fileName(), u.id());
            if (other != null) {
                throw new UserError(file + ": units \"" + other + "\" and \"" + u.id() + "\" would share the directory "
                        + u.fileName() + ": rename a model, condition or split so their names differ in letters or digits");
            }
        }
    }

    public List<GridUnit> stages() {
        return units.stream().filter(GridUnit::isStage).toList();
    }

    public List<GridUnit> cells() {
        return units.stream().filter(u -> !u.isStage()).toList();
    }

    /** The unit with this id, or a one-line error listing how to see the ids. */
    public GridUnit unit(String id) {
        for (GridUnit u : units) if (u.id().equals(id)) return u;
        throw new UserError("--unit: no unit \"" + id + "\" in " + spec + " (" + units.size()
                + " units; 'dialtune experiment plan " + spec + "' lists their ids)");
    }

    /** The unit at an array index, or a one-line error naming the valid range. */
    public GridUnit atIndex(int index) {
        if (index < 0 || index >= units.size()) {
            throw new UserError("--array-index: " + index + " is outside the plan of " + spec + " (indices 0-"
                    + (units.size() - 1) + ")");
        }
        return units.get(index);
    }

    /** Same units, ids and order: what a submitted array task needs to mean the same unit. */
    public boolean sameUnits(GridPlan other) {
        return units.stream().map(GridUnit::id).toList().equals(other.units.stream().map(GridUnit::id).toList());
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("spec", spec.toString());
        o.addProperty("precision", precision);
        JsonArray a = new JsonArray();
        for (GridUnit u : units) {
            JsonObject j = new JsonObject();
            j.addProperty("index", u.index());
            j.addProperty("id", u.id());
            j.addProperty("kind", u.kind().label());
            if (u.needs() != null) j.addProperty("needs", u.needs());
            j.addProperty("model", u.model());
            j.addProperty("condition", u.condition());
            j.addProperty("split_file", u.splitFile().toString());
            j.addProperty("split", u.split());
            if (!u.isStage()) j.addProperty("shots", u.shots());
            j.addProperty("seed", u.seed());
            j.addProperty("instructions", u.instructions());
            j.addProperty("dir", u.workDir());
            if (!u.method().isEmpty()) j.addProperty("method", u.method());
            if (!Double.isNaN(u.budgetFlops())) j.addProperty("budget_flops", u.budgetFlops());
            a.add(j);
        }
        o.add("units", a);
        return o;
    }

    public static GridPlan fromJson(JsonObject o, Path file) {
        try {
            List<GridUnit> units = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("units")) {
                JsonObject j = e.getAsJsonObject();
                units.add(new GridUnit(j.get("index").getAsInt(), j.get("id").getAsString(),
                        GridUnit.Kind.of(j.get("kind").getAsString()), j.has("needs") ? j.get("needs").getAsString() : null,
                        j.get("model").getAsString(), j.get("condition").getAsString(),
                        Path.of(j.get("split_file").getAsString()), j.get("split").getAsString(),
                        j.has("shots") ? j.get("shots").getAsInt() : 0, j.get("seed").getAsLong(),
                        j.get("instructions").getAsString(), j.get("dir").getAsString(),
                        j.has("method") ? j.get("method").getAsString() : "",
                        j.has("budget_flops") ? j.get("budget_flops").getAsDouble() : Double.NaN));
            }
            return new GridPlan(o.get("name").getAsString(), Path.of(o.get("spec").getAsString()),
                    o.get("precision").getAsString(), units);
        } catch (RuntimeException e) {
            throw new UserError(file + ": not a plan written by dialtune (" + e.getMessage()
                    + "): move it away and submit or run the grid again", e);
        }
    }

    /** The plan a run directory was submitted or run with, or null when it has none yet. */
    public static GridPlan readIn(Path runDir) {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        JsonElement e = Json.parseFile(f);
        if (!e.isJsonObject()) throw new UserError(f + ": not a plan written by dialtune: move it away");
        return fromJson(e.getAsJsonObject(), f);
    }

    /**
     * Records this plan in {@code runDir}. A run directory holds one grid: a plan with other units (another
     * spec, or this one edited) is refused, since array tasks submitted earlier would read their indices
     * against the wrong list.
     */
    public void writeIn(Path runDir) {
        GridPlan existing = readIn(runDir);
        if (existing != null && !sameUnits(existing)) {
            throw new UserError(runDir.resolve(FILE) + ": this run directory holds the plan of " + existing.spec() + " ("
                    + existing.units().size() + " units), not the same units as " + spec + " (" + units.size()
                    + "): use another --out, or move " + FILE + " away once no job of the old plan is queued");
        }
        if (existing == null || !existing.toJson().equals(toJson())) {
            AtomicFiles.writeString(runDir.resolve(FILE), Json.PRETTY.toJson(toJson()) + "\n");
        }
    }
}
