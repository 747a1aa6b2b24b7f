package org.dialtune.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HTML character references in dataset text ({@code "format": {"html_entities": true}}), for
 * data scraped from web pages such as Reddit (ToxiChat): {@code &amp;}, {@code &lt;}, {@code &gt;},
 * {@code &quot;}, {@code &apos;}, {@code &#39;}, {@code &#x200B;}, {@code &nbsp;}. Decoding repeats
 * until nothing is left to decode, because Reddit escapes twice ({@code &amp;#x200B;}). The text then
 * reads as a browser shows it: a non-breaking space becomes a space and a zero-width space vanishes
 * (the model's tokenizer would otherwise see them as odd bytes). A reference with an unknown name, or
 * an {@code &} without one (e.g. {@code green&blue}), is left as it is.
 */
final class HtmlEntities {
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.of(
            "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0");
    /** Each round removes a level of escaping; real data has at most two. */
    private static final int MAX_ROUNDS = 5;

    private HtmlEntities() {}

    /** {@code text} with its character references decoded. */
    static String decode(String text) {
        String s = text;
        for (int round = 0; round < MAX_ROUNDS && s.indexOf('&') >= 0; round++) {
            String next = decodeOnce(s);
            if (next.equals(s)) break;
            s = next;
        }
        return s.replace('\u00a0', ' ').replace("\u200b", "");
    }

    private static String decodeOnce(String s) {
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String ref = m.group(1);
            String decoded;
            if (ref.startsWith("#")) {
                boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
                int cp = Integer.parseInt(hex ? ref.substring(2) : ref.substring(1), hex ? 16 : 10);
                decoded = Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : m.group();
            } else {
                decoded = NAMED.getOrDefault(ref, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy of {@code e} with every string in it decoded (keys of objects stay as they are). */
    static JsonElement decodeAll(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            String s = e.getAsString();
            return s.indexOf('&') < 0 ? e : new JsonPrimitive(decode(s));
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray(e.getAsJsonArray().size());
            for (JsonElement x : e.getAsJsonArray()) out.add(decodeAll(x));
            return out;
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) out.add(x.getKey(), decodeAll(x.getValue()));
            return out;
        }
        return e;
    }

    /** {@code reader} with every string of every record decoded. */
    static DatasetReader.Configured decoding(DatasetReader.Configured reader) {
        return (file, shown, sink) -> reader.read(file, shown,
                r -> sink.accept(new RawRecord(decodeAll(r.value()), r.key(), r.location())));
    }
}
