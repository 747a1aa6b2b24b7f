package org.dialtune.common;

/**
 * A problem the user can fix (bad file, missing data, wrong option). The CLI prints only its message,
 * on one line, and exits non-zero; the stack trace is shown only with {@code --debug}.
 *
 * <p>Messages should name the file, the field and what to do, e.g.
 * {@code tasks/foo.json: field "metric": unknown metric "bleu" (use one of: accuracy, rouge_l)}.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
