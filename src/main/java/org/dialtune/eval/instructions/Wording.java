package org.dialtune.eval.instructions;

/** One instruction wording of a task, as the analysis needs it: the task, the wording's stable id, its text. */
public record Wording(String task, String id, String text) {}
