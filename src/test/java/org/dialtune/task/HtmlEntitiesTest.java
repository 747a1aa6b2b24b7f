package org.dialtune.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlEntitiesTest {
    @TempDir
    Path dir;

    @Test
    void decodesNamedAndNumericReferencesAndRedditsDoubleEscaping() {
        assertEquals("green&blue > purple&gold", HtmlEntities.decode("green&amp;blue &gt; purple&amp;gold"));
        assertEquals("It's \"fine\" <3", HtmlEntities.decode("It&#39;s &quot;fine&quot; &lt;3"));
        assertEquals("don't", HtmlEntities.decode("don&#x27;t"));
        assertEquals("Prepared for you", HtmlEntities.decode("Prepared&amp;nbsp;for&amp;nbsp;you"));
        assertEquals(" A Holocaust", HtmlEntities.decode("&amp;#x200B; A Holocaust"));
        assertEquals("AT&T &copyright; &foo; & a;", HtmlEntities.decode("AT&T &copyright; &foo; & a;"), "not references: kept");
        assertEquals("&#0;", HtmlEntities.decode("&#0;"));
        assertEquals("\uD83D\uDE00", HtmlEntities.decode("&#128512;"));
    }

    @Test
    void theFormatOptionDecodesEveryStringOfEveryRecord() throws IOException {
        Path f = dir.resolve("t.jsonl");
        Files.writeString(f, "{\"turns\": [{\"text\": \"Tom &amp; Jerry\"}, {\"text\": \"&gt;quoted\"}], \"label\": \"Safe\", \"n\": 3}\n");
        List<RawRecord> out = new ArrayList<>();
        HtmlEntities.decoding(new JsonDatasetReader(true).configure(
                new org.dialtune.common.SpecObject(f, "format", new com.google.gson.JsonObject()))).read(f, "t.jsonl", out::add);
        assertEquals(JsonParser.parseString("{\"turns\": [{\"text\": \"Tom & Jerry\"}, {\"text\": \">quoted\"}],"
                + " \"label\": \"Safe\", \"n\": 3}"), out.get(0).value());
        assertEquals("t.jsonl:1", out.get(0).location());
    }
}
