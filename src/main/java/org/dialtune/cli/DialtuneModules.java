package org.dialtune.cli;

import com.google.inject.Module;
import java.util.List;

/** Every package's Guice module; a new stage or plug-in package adds its module here. */
public final class DialtuneModules {
    private DialtuneModules() {}

    public static List<Module> all() {
        return List.of(
                new org.dialtune.eval.EvalModule(),
                new org.dialtune.format.FormatModule(),
                new org.dialtune.task.TaskModule());
    }
}
