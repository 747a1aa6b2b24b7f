package org.dialtune.common;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Path;

/** One place for JSON: a shared Gson and file parsing that reports the file and position on errors. */
public final class Json {
    /** Compact, for JSONL output. NaN is refused so a broken number never reaches a result file. */
    public static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();
    /** Indented, for files people read (configs, task files written by tools). */
    public static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private Json() {}

    /** Parses a whole JSON file, turning I/O and syntax problems into one-line {@link UserError}s. */
    public static JsonElement parseFile(Path file) {
        return parse(Utf8Files.read(file), file.toString(), "file");
    }

    /** Parses one line of a JSONL file; {@code lineNo} is 1-based and appears in the error. */
    public static JsonElement parseLine(Path file, int lineNo, String line) {
        return parse(line, file + ":" + lineNo, "line");
    }

    /** One strict JSON value and nothing after it; errors start with {@code where}. */
    private static JsonElement parse(String text, String where, String unit) {
        try {
            JsonReader jr = new JsonReader(new java.io.StringReader(text));
            jr.setStrictness(com.google.gson.Strictness.STRICT);
            JsonElement value = JsonParser.parseReader(jr);
            requireEnd(jr, where, unit); // parseReader(JsonReader) stops after the first value
            return value;
        } catch (JsonParseException e) {
            throw new UserError(where + ": not valid JSON: " + cleanGsonMessage(e));
        }
    }

    private static void requireEnd(JsonReader jr, String where, String unit) {
        String position;
        try {
            if (jr.peek() == JsonToken.END_DOCUMENT) return;
            position = jr.toString().replaceFirst("^JsonReader", "");
        } catch (IOException e) { // strict mode refuses a second value outright
            String m = cleanGsonMessage(e);
            position = m.contains(" at line ") ? m.substring(m.indexOf(" at line ")) : "";
        }
        throw new UserError(where + ": not valid JSON: more content after the end of the JSON value" + position
                + " (one JSON value per " + unit + ")");
    }

    /**
     * Gson's message without what is meant for programmers: the troubleshooting URL and the advice to
     * call JsonReader.setStrictness(...), which a user cannot do ("malformed JSON at line 1 column 3 path $.").
     */
    public static String cleanGsonMessage(Exception e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        int see = m.indexOf("\nSee ");
        if (see >= 0) m = m.substring(0, see);
        m = m.replaceAll("Use JsonReader\\.setStrictness\\([^)]*\\) to accept malformed JSON", "malformed JSON");
        m = m.replaceAll("^(java\\.lang\\.|com\\.google\\.gson\\.[a-z.]*)[A-Za-z]+Exception: ", "");
        return m.replace('\n', ' ').trim();
    }
}
