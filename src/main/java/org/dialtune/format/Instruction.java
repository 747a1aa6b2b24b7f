package org.dialtune.format;

/** One wording of a task's instruction; {@code id} is stable so results can name the wording used. */
public record Instruction(String id, String text) {}
