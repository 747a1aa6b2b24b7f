package org.dialtune.task;

/**
 * A record that cannot become an example (missing field, empty text, unknown option). Not a
 * {@link org.dialtune.common.UserError}: the row is skipped, counted and reported per task, and
 * {@code tasks validate} fails on it, but one bad row does not stop a conversion.
 */
public final class RowProblem extends RuntimeException {
    public RowProblem(String message) {
        super(message, null, false, false); // expected control flow: no stack trace needed
    }
}
