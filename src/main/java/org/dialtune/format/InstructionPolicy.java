package org.dialtune.format;

import org.dialtune.task.Sampling;

/**
 * Which wording an example gets: none ({@link #off}), always the same id ({@link #fixed}), or one drawn
 * per example ({@link #sampled}) from a hash of the seed, task, split and example id — so the choice
 * does not depend on the order or the number of examples converted.
 */
public final class InstructionPolicy {
    private final boolean on;
    private final String fixedId;
    private final long seed;

    private InstructionPolicy(boolean on, String fixedId, long seed) {
        this.on = on;
        this.fixedId = fixedId;
        this.seed = seed;
    }

    public static InstructionPolicy off() {
        return new InstructionPolicy(false, null, 0);
    }

    public static InstructionPolicy fixed(String id) {
        return new InstructionPolicy(true, id, 0);
    }

    public static InstructionPolicy sampled(long seed) {
        return new InstructionPolicy(true, null, seed);
    }

    /** The wording for one example, or null when instructions are off. */
    public Instruction choose(InstructionSet set, String split, String exampleId) {
        if (!on) return null;
        if (fixedId != null) return set.get(fixedId);
        long h = Sampling.hash(seed + "|" + set.task() + "|" + split + "|" + exampleId);
        return set.instructions().get((int) Math.floorMod(h, (long) set.instructions().size()));
    }

    @Override
    public String toString() {
        return !on ? "off" : fixedId != null ? "fixed:" + fixedId : "sampled(seed=" + seed + ")";
    }
}
