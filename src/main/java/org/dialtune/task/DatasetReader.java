package org.dialtune.task;

import org.dialtune.common.SpecObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Turns one data file into JSON documents. Built-in readers cover CSV/TSV, JSON and JSON Lines; a
 * dataset with an odd format gets its own reader, bound by name in a Guice
 * {@code MapBinder<String, DatasetReader>} (see {@link TaskModule}) and named by a task file's
 * {@code "reader"} field. Everything after reading (record paths, grouping, field mapping) is shared.
 */
public interface DatasetReader {
    /**
     * Checks this reader's options (the task file's {@code "format"} object, empty when absent) and
     * returns a reader configured with them. Ask for every option through {@code format}'s getters:
     * keys nobody asked for are reported to the user as unknown fields.
     */
    Configured configure(SpecObject format);

    /** A reader with its options applied. */
    interface Configured {
        /**
         * Reads {@code file} and hands each document to {@code sink}: a CSV row, a JSONL line, or a
         * whole JSON file. {@code shown} is the file name to use in locations (relative to the data
         * directory). Problems with the file itself are {@link org.dialtune.common.UserError}s.
         */
        void read(Path file, String shown, Consumer<RawRecord> sink) throws IOException;
    }
}
