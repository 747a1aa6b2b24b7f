package org.dialtune.common;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of an id'd JSONL input read so far. Every reader of such inputs (generate, rank, metric)
 * registers each line's id here, so a repeated id is the same one-line error everywhere, naming both
 * lines: outputs are matched back to inputs by id, and two records under one id would be mixed up.
 * Ids compare as text ({@code 7} and {@code "7"} are the same id).
 */
public final class UniqueIds {
    private final Path file;
    private final Map<String, Integer> firstLine = new HashMap<>();

    public UniqueIds(Path file) {
        this.file = file;
    }

    /** Registers {@code id} as used on {@code lineNo}; a UserError if an earlier line used it. */
    public void add(String id, int lineNo) {
        Integer seen = firstLine.putIfAbsent(id, lineNo);
        if (seen != null) {
            throw new UserError(file + ":" + lineNo + ": field \"id\": \"" + id + "\" is already used on line " + seen
                    + " (ids must be unique)");
        }
    }
}
