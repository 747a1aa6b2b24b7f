package org.dialtune.task;

import java.util.List;

/**
 * How a record becomes dialogue examples: the record layout ({@code records} path, grouping of rows
 * into dialogues, filters), the expansion (one example per record, per element of a list with
 * {@code forEach}, or per turn with {@code eachTurn}) and where each example field comes from.
 */
public record ExampleSpec(
        String records,
        FieldSpec groupBy,
        FieldSpec orderBy,
        List<Condition> filters,
        JsonPath forEach,
        EachTurn eachTurn,
        FieldSpec id,
        TurnsSpec context,
        FieldSpec utterance,
        FieldSpec utteranceSpeaker,
        FieldSpec response,
        FieldSpec knowledge,
        FieldSpec persona,
        FieldSpec document,
        FieldSpec question,
        FieldSpec options,
        FieldSpec answer) {

    /** Keeps an example only if the text at {@code field} is (or, negated, is not) one of {@code values}. */
    public record Condition(FieldSpec field, List<String> values, boolean negate) {
        public Condition {
            values = List.copyOf(values);
        }

        public boolean test(JsonPath.Scope scope) {
            String v = field.text(scope);
            boolean in = v != null && values.contains(v.strip());
            return negate != in;
        }
    }

    /**
     * One example per turn: turns before it are the context, the turn itself is the utterance to
     * classify or the response to generate. {@code minContext} earlier turns are required;
     * {@code speakers}, when not empty, limits which speakers' turns become examples.
     */
    public record EachTurn(int minContext, List<String> speakers) {
        public EachTurn {
            speakers = List.copyOf(speakers);
        }
    }
}
