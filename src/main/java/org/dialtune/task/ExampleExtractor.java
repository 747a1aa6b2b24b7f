package org.dialtune.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a task's {@link ExampleSpec} to one record: expands it (per list element or per turn),
 * applies the filters and reads every field. Each candidate ends as an example, a filtered item, or a
 * problem with its location; nothing disappears without being counted.
 */
public final class ExampleExtractor {
    /** What became of one candidate example. Exactly one of {@code example} / {@code problem} is set unless filtered. */
    public record Outcome(DialogueExample example, boolean filtered, String problem, String location) {
        static Outcome ok(DialogueExample e) {
            return new Outcome(e, false, null, e.location());
        }

        static Outcome filteredAt(String location) {
            return new Outcome(null, true, null, location);
        }

        static Outcome problem(String location, String message) {
            return new Outcome(null, false, message, location);
        }
    }

    private final Task task;
    private final ExampleSpec spec;

    public ExampleExtractor(Task task) {
        this.task = task;
        this.spec = task.example();
    }

    public List<Outcome> extract(RawRecord record, String fileStem) {
        List<Outcome> out = new ArrayList<>();
        String base = fileStem + "-" + (record.key() == null ? "0" : record.key());
        JsonPath.Scope recordScope = new JsonPath.Scope(record.value(), record.key(), null);
        try {
            if (spec.forEach() != null) {
                JsonElement list = spec.forEach().resolve(recordScope);
                if (list == null || !list.isJsonArray()) {
                    out.add(Outcome.problem(record.location(), "\"for_each\" path " + spec.forEach() + " is not a list"));
                    return out;
                }
                JsonArray items = list.getAsJsonArray();
                for (int i = 0; i < items.size(); i++) {
                    JsonPath.Scope s = new JsonPath.Scope(record.value(), record.key(), items.get(i));
                    String loc = record.location() + " item " + i;
                    out.add(one(s, loc, base, i, null));
                }
            } else if (spec.eachTurn() != null) {
                List<TurnsSpec.Parsed> turns = spec.context().read(recordScope, "fields.context");
                ExampleSpec.EachTurn et = spec.eachTurn();
                for (int i = 0; i < turns.size(); i++) {
                    String loc = record.location() + " turn " + i;
                    Turn t = turns.get(i).turn();
                    boolean speakerOk = et.speakers().isEmpty() || (t.speaker() != null && et.speakers().contains(t.speaker()));
                    if (i < et.minContext() || !speakerOk) {
                        out.add(Outcome.filteredAt(loc));
                        continue;
                    }
                    JsonPath.Scope s = new JsonPath.Scope(record.value(), record.key(), turns.get(i).raw());
                    List<Turn> before = turns.subList(0, i).stream().map(TurnsSpec.Parsed::turn).toList();
                    out.add(one(s, loc, base, i, new TurnContext(before, t)));
                }
            } else {
                out.add(one(recordScope, record.location(), base, -1, null));
            }
        } catch (RowProblem p) {
            out.add(Outcome.problem(record.location(), p.getMessage()));
        }
        return out;
    }

    private record TurnContext(List<Turn> before, Turn current) {}

    /** One candidate; {@code index} is the item or turn number (-1 without expansion). */
    private Outcome one(JsonPath.Scope s, String location, String defaultId, int index, TurnContext turn) {
        try {
            for (ExampleSpec.Condition c : spec.filters()) {
                if (!c.test(s)) return Outcome.filteredAt(location);
            }
            String id = spec.id() == null ? defaultId : required(spec.id(), s, "id");
            if (index >= 0) id = id + "-" + index;
            List<Turn> context;
            if (turn != null) context = turn.before();
            else if (spec.context() != null) context = spec.context().read(s, "fields.context").stream().map(TurnsSpec.Parsed::turn).toList();
            else context = List.of();
            Turn utterance = null;
            if (spec.utterance() != null) {
                String speaker = spec.utteranceSpeaker() == null ? null : optional(spec.utteranceSpeaker(), s);
                utterance = new Turn(speaker, required(spec.utterance(), s, "utterance"));
            } else if (turn != null && task.isClassification()) {
                utterance = turn.current();
            }
            String answer;
            if (spec.answer() != null) answer = required(spec.answer(), s, task.isClassification() ? "label" : "target");
            else answer = turn.current().text(); // generation in each_turn mode: the turn is the response
            List<String> options = List.of();
            if (spec.options() != null) {
                JsonElement o = spec.options().element(s);
                if (o == null || !o.isJsonArray()) throw new RowProblem("field \"fields.options\" (path " + spec.options() + ") is not a list");
                List<String> opts = new ArrayList<>();
                for (JsonElement x : o.getAsJsonArray()) {
                    String t = FieldSpec.toText(x, " ");
                    if (t == null || t.isBlank()) throw new RowProblem("field \"fields.options\" has an empty option");
                    opts.add(t.strip());
                }
                options = opts;
                if (new java.util.HashSet<>(opts).size() != opts.size()) {
                    throw new RowProblem("field \"fields.options\" lists the same option twice: " + opts);
                }
                if (!opts.contains(answer.strip())) {
                    throw new RowProblem("label \"" + answer.strip() + "\" is not among the options " + opts);
                }
            }
            DialogueExample e = new DialogueExample(id, context, utterance, optional(spec.response(), s),
                    optional(spec.knowledge(), s), optional(spec.persona(), s), optional(spec.document(), s),
                    optional(spec.question(), s), options, answer.strip(), location);
            if (e.context().isEmpty() && e.utterance() == null && e.response() == null && e.knowledge() == null
                    && e.document() == null) {
                throw new RowProblem("no input text (context, utterance, response, knowledge and document are all empty)");
            }
            return Outcome.ok(e);
        } catch (RowProblem p) {
            return Outcome.problem(location, p.getMessage());
        }
    }

    private static String required(FieldSpec f, JsonPath.Scope s, String name) {
        String v = f.text(s);
        if (v == null) throw new RowProblem("field \"fields." + name + "\" (" + f + ") is missing");
        if (v.isBlank()) throw new RowProblem("field \"fields." + name + "\" (" + f + ") is empty");
        return v.strip();
    }

    /** Optional fields: absent or blank both mean "no such section". */
    private static String optional(FieldSpec f, JsonPath.Scope s) {
        if (f == null) return null;
        String v = f.text(s);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
