package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.nio.charset.CharacterCodingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dialtune.common.UserError;

/**
 * Deal or No Deal's one-line pseudo-XML format ({@code "reader": "dealornodeal"}), an example of a
 * custom reader: no generic reader can cut {@code <dialogue> YOU: ... <eos> THEM: ... </dialogue>}
 * into turns. Each line becomes {@code {"input": [...], "partner_input": [...], "turns": [{"speaker",
 * "text"}], "selection_by": "YOU"|"THEM", "output": "...", "outcome": "deal"|"disagree"|"no_agreement"|
 * "disconnect", "deal": "yes"|"no"}}. No options.
 */
public final class DealOrNoDealReader implements DatasetReader {
    private static final Pattern SECTION = Pattern.compile("<(input|dialogue|output|partner_input)>(.*?)</\\1>");

    @Override
    public Configured configure(SpecObject format) {
        return (file, shown, sink) -> {
            try (BufferedReader in = TextFiles.open(file, false)) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) continue;
                    sink.accept(new RawRecord(parse(line, shown + ":" + n), String.valueOf(n), shown + ":" + n));
                }
            } catch (CharacterCodingException e) {
                throw new UserError(shown + ": " + TextFiles.encodingHint());
            }
        };
    }

    static JsonObject parse(String line, String where) {
        JsonObject o = new JsonObject();
        Matcher m = SECTION.matcher(line);
        while (m.find()) {
            String body = m.group(2).strip();
            switch (m.group(1)) {
                case "input", "partner_input" -> o.add(m.group(1), numbers(body, where));
                case "dialogue" -> dialogue(body, o);
                default -> {
                    o.addProperty("output", body);
                    String first = body.split("\\s+")[0];
                    String outcome = first.startsWith("item") ? "deal" : first.replaceAll("[<>]", "");
                    o.addProperty("outcome", outcome);
                    o.addProperty("deal", outcome.equals("deal") ? "yes" : "no");
                }
            }
        }
        for (String k : new String[] {"input", "turns", "output"}) {
            if (!o.has(k)) throw new UserError(where + ": no <" + (k.equals("turns") ? "dialogue" : k) + "> section");
        }
        return o;
    }

    private static void dialogue(String body, JsonObject o) {
        JsonArray turns = new JsonArray();
        for (String part : body.split("<eos>")) {
            String t = part.strip();
            int colon = t.indexOf(':');
            if (colon < 0) continue;
            String speaker = t.substring(0, colon).strip();
            String text = t.substring(colon + 1).strip();
            if (text.equals("<selection>")) {
                o.addProperty("selection_by", speaker);
                continue;
            }
            JsonObject turn = new JsonObject();
            turn.addProperty("speaker", speaker);
            turn.addProperty("text", text);
            turns.add(turn);
        }
        o.add("turns", turns);
    }

    private static JsonArray numbers(String body, String where) {
        JsonArray a = new JsonArray();
        for (String x : body.split("\\s+")) {
            try {
                a.add(Integer.parseInt(x));
            } catch (NumberFormatException e) {
                throw new UserError(where + ": expected numbers in <input>, found \"" + x + "\"");
            }
        }
        return a;
    }
}
