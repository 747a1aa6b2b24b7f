package org.dialtune.task;

import java.util.Locale;

/** Classification tasks answer with one of a fixed set of options; generation tasks with free text. */
public enum TaskType {
    CLASSIFICATION,
    GENERATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
