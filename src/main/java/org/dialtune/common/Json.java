package org.dialtune.common;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader jr = new JsonReader(r);
            jr.setStrictness(com.google.gson.Strictness.STRICT);
            return JsonParser.parseReader(jr);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": file not found");
        } catch (JsonParseException e) {
            throw new UserError(file + ": not valid JSON: " + cleanGsonMessage(e));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses one line of a JSONL file; {@code lineNo} is 1-based and appears in the error. */
    public static JsonElement parseLine(Path file, int lineNo, String line) {
        try {
            JsonReader jr = new JsonReader(new java.io.StringReader(line));
            jr.setStrictness(com.google.gson.Strictness.STRICT);
            return JsonParser.parseReader(jr);
        } catch (JsonParseException e) {
            throw new UserError(file + ":" + lineNo + ": not valid JSON: " + cleanGsonMessage(e));
        }
    }

    /** Gson appends a troubleshooting URL to its messages; users need the position, not the link. */
    static String cleanGsonMessage(Exception e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        int see = m.indexOf("\nSee ");
        if (see >= 0) m = m.substring(0, see);
        return m.replace('\n', ' ').trim();
    }
}
