package org.dialtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void userErrorIsOneLineWithoutStackTrace() {
        StringWriter err = new StringWriter();
        int code = Main.report(new RuntimeException(new UserError("tasks/x.json: field \"metric\": unknown")),
                new PrintWriter(err, true), false);
        assertEquals(Main.EXIT_USER_ERROR, code);
        assertEquals("dialtune: error: tasks/x.json: field \"metric\": unknown", err.toString().strip());
    }

    @Test
    void debugAddsStackTrace() {
        StringWriter err = new StringWriter();
        Main.report(new UserError("bad"), new PrintWriter(err, true), true);
        assertTrue(err.toString().contains("at org.dialtune"), err.toString());
    }

    @Test
    void internalErrorSaysHowToGetTheTrace() {
        StringWriter err = new StringWriter();
        int code = Main.report(new IllegalStateException("boom"), new PrintWriter(err, true), false);
        assertEquals(Main.EXIT_INTERNAL_ERROR, code);
        assertTrue(err.toString().contains("IllegalStateException: boom"));
        assertTrue(err.toString().contains("--debug"));
        assertFalse(err.toString().contains("\tat "));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("--no-such-option");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option"), r.err());
    }
}
