package org.dialtune.data;

import java.io.IOException;

/** The mirror could not be connected to at all (as opposed to a failure of one file). */
public class UnreachableSourceException extends IOException {
    public UnreachableSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
