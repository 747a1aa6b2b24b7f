package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import java.io.BufferedReader;
import java.nio.charset.CharacterCodingException;
import org.dialtune.common.UserError;

/**
 * A whole JSON file as one document ({@code "reader": "json"}), or, with {@code lines}, one document
 * per non-blank line ({@code "reader": "jsonl"}). Option: {@code lenient_encoding}.
 */
public final class JsonDatasetReader implements DatasetReader {
    private final boolean lines;

    public JsonDatasetReader(boolean lines) {
        this.lines = lines;
    }

    @Override
    public Configured configure(SpecObject format) {
        boolean lenient = format.optBoolean("lenient_encoding", false);
        return (file, shown, sink) -> {
            try (BufferedReader in = TextFiles.open(file, lenient)) {
                if (!lines) {
                    sink.accept(new RawRecord(parse(in, shown), null, shown));
                    return;
                }
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) continue;
                    sink.accept(new RawRecord(parse(new java.io.StringReader(line), shown + ":" + n),
                            String.valueOf(n), shown + ":" + n));
                }
            } catch (CharacterCodingException e) {
                throw new UserError(shown + ": " + TextFiles.encodingHint());
            }
        };
    }

    private static JsonElement parse(java.io.Reader in, String where) {
        try {
            com.google.gson.stream.JsonReader jr = new com.google.gson.stream.JsonReader(in);
            jr.setStrictness(Strictness.STRICT);
            return JsonParser.parseReader(jr);
        } catch (JsonParseException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new UserError(where + ": " + TextFiles.encodingHint());
            }
            throw new UserError(where + ": not valid JSON: " + org.dialtune.common.Json.cleanGsonMessage(e));
        }
    }
}
