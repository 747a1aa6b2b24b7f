package org.dialtune.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintWriter;
import java.util.Arrays;
import org.dialtune.common.UserError;
import picocli.CommandLine;

/** Entry point: builds the Guice injector, hands it to picocli, and turns failures into exit codes. */
public final class Main {
    /** Exit code for input the user can fix (bad file, bad option). */
    public static final int EXIT_USER_ERROR = 2;
    /** Exit code for a bug or an unexpected environment failure. */
    public static final int EXIT_INTERNAL_ERROR = 1;

    private Main() {}

    public static void main(String[] args) {
        // Before anything touches DJL: no telemetry, no run-time downloads (see shared/docs/djl-notes.md).
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; used by {@link #main} and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(OutputGuard::execute);
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> report(ex, cmd.getErr(), debug));
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The whole command tree, its commands created through Guice, each with --help and --version. */
    static CommandLine commandLine() {
        Injector injector = Guice.createInjector(DialtuneModules.all());
        return StandardHelp.applyTo(new CommandLine(DialtuneCommand.class, new GuiceFactory(injector)));
    }

    static int report(Exception ex, PrintWriter err, boolean debug) {
        Throwable userError = findUserError(ex);
        if (userError != null) {
            err.println("dialtune: error: " + userError.getMessage());
            if (debug) ex.printStackTrace(err);
            return EXIT_USER_ERROR;
        }
        err.println("dialtune: internal error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                + (debug ? "" : " (run again with --debug for the stack trace)"));
        if (debug) ex.printStackTrace(err);
        return EXIT_INTERNAL_ERROR;
    }

    /** A UserError may arrive wrapped (e.g. by a stream or a thread pool); unwrap it. */
    private static Throwable findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserError) return c;
        }
        return null;
    }
}
