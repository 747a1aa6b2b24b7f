package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dialtune.common.Json;

/**
 * Parses and checks one task file (schema in {@code tasks/README.md}). Everything that can be checked
 * without reading data is checked here, each failure as one line naming the file and field.
 */
public final class TaskFileParser {
    /** Metric names task files may use; classification tasks are scored by accuracy. */
    public static final Map<String, TaskType> METRICS =
            Map.of("accuracy", TaskType.CLASSIFICATION, "rouge_l", TaskType.GENERATION, "rouge_lsum", TaskType.GENERATION);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern FAMILY = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");
    /** Longest task tag: a few words, not an instruction. */
    private static final int MAX_TAG = 60;

    private final Map<String, DatasetReader> readers;

    public TaskFileParser(Map<String, DatasetReader> readers) {
        this.readers = readers;
    }

    public Task parse(Path file) {
        SpecObject t = SpecObject.of(file, "", Json.parseFile(file));
        String name = t.string("name");
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (!NAME.matcher(name).matches()) {
            throw t.error("name", "\"" + name + "\" is not a valid task name (use lower-case letters, digits, '-', '_', '.')");
        }
        if (!name.equals(stem)) {
            throw t.error("name", "\"" + name + "\" differs from the file name (rename the file to " + name + ".json)");
        }
        String family = t.string("family");
        if (!FAMILY.matcher(family).matches()) {
            throw t.error("family", "\"" + family + "\" is not snake_case (e.g. intent_classification)");
        }
        String tag = t.optString("tag", family.replace('_', ' '));
        if (tag.isBlank() || tag.length() > MAX_TAG || !tag.equals(tag.strip()) || tag.chars().anyMatch(Character::isISOControl)) {
            throw t.error("tag", Json.COMPACT.toJson(tag) + " is not a short one-line task tag (at most " + MAX_TAG
                    + " characters, e.g. \"topic generation\")");
        }
        TaskType type = enumValue(t, "type");
        String metric = t.string("metric");
        TaskType metricType = METRICS.get(metric);
        if (metricType == null) {
            throw t.error("metric", "unknown metric \"" + metric + "\" (use one of: "
                    + String.join(", ", METRICS.keySet().stream().sorted().toList()) + ")");
        }
        if (metricType != type) {
            throw t.error("metric", "\"" + metric + "\" does not score " + type.id() + " tasks (use "
                    + String.join(" or ", METRICS.entrySet().stream().filter(e -> e.getValue() == type)
                            .map(Map.Entry::getKey).sorted().toList()) + ")");
        }
        String dataset = t.string("dataset");
        String license = t.string("license");
        String description = t.optString("description", null);

        String readerName = t.string("reader");
        DatasetReader reader = readers.get(readerName);
        if (reader == null) {
            throw t.error("reader", "unknown reader \"" + readerName + "\" (use one of: "
                    + String.join(", ", readers.keySet().stream().sorted().toList()) + ")");
        }
        SpecObject format = t.has("format") ? t.object("format")
                : new SpecObject(file, "format", new com.google.gson.JsonObject());
        DatasetReader.Configured configured = reader.configure(format);
        if (format.optBoolean("html_entities", false)) configured = HtmlEntities.decoding(configured);
        format.finish();

        Map<String, SplitSpec> splits = splits(t);
        ExampleSpec example = example(t, type);
        String template = t.optString("answer_template", Task.ANSWER);
        int uses = template.split(Pattern.quote(Task.ANSWER), -1).length - 1;
        if (uses != 1) {
            throw t.error("answer_template", "must contain {answer} exactly once, e.g. \"The intent is {answer}.\"");
        }
        LabelSpec labels = LabelSpec.parse(t, type, example.options() != null, splits.keySet());
        long seed = t.optInt("sample_seed", 0, 0);
        t.finish();
        return new Task(name, family, tag, type, dataset, license, metric, description, readerName, configured, splits,
                example, labels, template, seed, file);
    }

    private static TaskType enumValue(SpecObject t, String key) {
        String v = t.string(key);
        for (TaskType x : TaskType.values()) if (x.id().equals(v)) return x;
        throw t.error(key, "unknown type \"" + v + "\" (use classification or generation)");
    }

    private static Map<String, SplitSpec> splits(SpecObject t) {
        SpecObject s = t.object("splits");
        if (s == null) throw t.error("splits", "missing (it is required), e.g. {\"train\": \"mydata/train.csv\"}");
        if (s.keys().isEmpty()) throw t.error("splits", "no splits given");
        Map<String, SplitSpec> out = new LinkedHashMap<>();
        for (String name : s.keys()) {
            if (!NAME.matcher(name).matches()) throw s.error(name, "\"" + name + "\" is not a valid split name");
            JsonElement e = s.get(name);
            if (e.isJsonObject()) {
                SpecObject o = s.object(name);
                List<String> files = o.stringList("files");
                if (files.isEmpty()) throw o.error("files", "missing (it is required)");
                checkInsideDataDirectory(o, "files", files);
                String records = o.optString("records", null);
                checkRecordsPath(o, "records", records);
                int max = o.optInt("max_examples", 0, 1);
                o.finish();
                out.put(name, new SplitSpec(name, files, records, max));
            } else {
                List<String> files = s.stringList(name);
                if (files.isEmpty()) throw s.error(name, "no files given");
                checkInsideDataDirectory(s, name, files);
                out.put(name, new SplitSpec(name, files, null, 0));
            }
        }
        return out;
    }

    private static ExampleSpec example(SpecObject t, TaskType type) {
        String records = t.optString("records", null);
        checkRecordsPath(t, "records", records);
        FieldSpec groupBy = FieldSpec.parse(t, "group_by");
        FieldSpec orderBy = FieldSpec.parse(t, "order_by");
        if (orderBy != null && groupBy == null) throw t.error("order_by", "only applies together with \"group_by\"");
        List<ExampleSpec.Condition> filters = new ArrayList<>();
        conditions(t, "where", false, filters);
        conditions(t, "where_not", true, filters);
        JsonPath forEach = null;
        String fe = t.optString("for_each", null);
        if (fe != null) {
            try {
                forEach = JsonPath.parse(fe);
            } catch (IllegalArgumentException e) {
                throw t.error("for_each", e.getMessage());
            }
        }
        ExampleSpec.EachTurn eachTurn = null;
        SpecObject et = t.object("each_turn");
        if (et != null) {
            if (forEach != null) throw t.error("each_turn", "use either \"for_each\" or \"each_turn\", not both");
            eachTurn = new ExampleSpec.EachTurn(et.optInt("min_context", type == TaskType.GENERATION ? 1 : 0, 0),
                    et.stringList("speakers"));
            et.finish();
        }
        SpecObject f = t.object("fields");
        if (f == null) throw t.error("fields", "missing (it is required): say where the dialogue and answer are");
        FieldSpec id = FieldSpec.parse(f, "id");
        TurnsSpec context = TurnsSpec.parse(f, "context");
        FieldSpec utterance = FieldSpec.parse(f, "utterance");
        FieldSpec speaker = FieldSpec.parse(f, "speaker");
        FieldSpec response = FieldSpec.parse(f, "response");
        FieldSpec knowledge = FieldSpec.parse(f, "knowledge");
        FieldSpec persona = FieldSpec.parse(f, "persona");
        FieldSpec document = FieldSpec.parse(f, "document");
        FieldSpec question = FieldSpec.parse(f, "question");
        FieldSpec options = FieldSpec.parse(f, "options");
        String answerKey = type == TaskType.CLASSIFICATION ? "label" : "target";
        String otherKey = type == TaskType.CLASSIFICATION ? "target" : "label";
        if (f.has(otherKey)) {
            throw f.error(otherKey, type.id() + " tasks name their answer \"" + answerKey + "\", not \"" + otherKey + "\"");
        }
        FieldSpec answer = FieldSpec.parse(f, answerKey);
        f.finish();
        if (answer == null && !(eachTurn != null && type == TaskType.GENERATION)) {
            throw f.error(answerKey, "missing (it is required for " + type.id() + " tasks)");
        }
        if (speaker != null && utterance == null) throw f.error("speaker", "only applies together with \"utterance\"");
        if (options != null && type != TaskType.CLASSIFICATION) {
            throw f.error("options", "only classification tasks have options");
        }
        if (context == null && utterance == null && document == null && knowledge == null && response == null) {
            throw t.error("fields", "no input: give at least one of context, utterance, response, knowledge, document");
        }
        if (eachTurn != null && context == null) throw t.error("each_turn", "needs \"fields.context\" (the turns to walk)");
        if (forEach == null && eachTurn == null) {
            for (ExampleSpec.Condition c : filters) {
                if (c.field().usesItem()) {
                    throw t.error(c.negate() ? "where_not" : "where", "path \"" + c.field()
                            + "\" starts with @ but there is no \"for_each\" or \"each_turn\"");
                }
            }
            Map<String, FieldSpec> all = new LinkedHashMap<>();
            all.put("id", id);
            all.put("utterance", utterance);
            all.put("speaker", speaker);
            all.put("response", response);
            all.put("knowledge", knowledge);
            all.put("persona", persona);
            all.put("document", document);
            all.put("question", question);
            all.put("options", options);
            all.put(answerKey, answer);
            for (var e : all.entrySet()) {
                if (e.getValue() != null && e.getValue().usesItem()) {
                    throw f.error(e.getKey(), "paths starting with @ need \"for_each\" or \"each_turn\"");
                }
            }
            if (context != null && context.usesItem()) {
                throw f.error("context", "paths starting with @ need \"for_each\" or \"each_turn\"");
            }
        }
        return new ExampleSpec(records, groupBy, orderBy, filters, forEach, eachTurn, id, context, utterance, speaker,
                response, knowledge, persona, document, question, options, answer);
    }

    /** Split paths are relative to the data directory and stay in it (the links are checked when reading). */
    private static void checkInsideDataDirectory(SpecObject owner, String key, List<String> files) {
        for (String f : files) {
            String problem = DataDirectory.patternProblem(f);
            if (problem != null) throw owner.error(key, problem);
        }
    }

    private static void checkRecordsPath(SpecObject owner, String key, String path) {
        if (path == null || path.equals("$")) return;
        try {
            if (JsonPath.parse(path).isItemRelative()) throw owner.error(key, "a records path cannot start with @");
        } catch (IllegalArgumentException e) {
            throw owner.error(key, e.getMessage());
        }
    }

    private static void conditions(SpecObject t, String key, boolean negate, List<ExampleSpec.Condition> out) {
        SpecObject w = t.object(key);
        if (w == null) return;
        for (String path : w.keys()) {
            List<String> values = w.stringList(path);
            if (values.isEmpty()) throw w.error(path, "give a value or a list of values");
            FieldSpec field;
            try {
                field = FieldSpec.path(path);
            } catch (IllegalArgumentException e) {
                throw w.error(path, e.getMessage());
            }
            out.add(new ExampleSpec.Condition(field, values, negate));
        }
        w.finish();
    }
}
