package org.dialtune.task;

/** One dialogue turn; {@code speaker} is null when the data does not name one. */
public record Turn(String speaker, String text) {
    public Turn {
        if (text == null) throw new IllegalArgumentException("turn text is null");
    }
}
