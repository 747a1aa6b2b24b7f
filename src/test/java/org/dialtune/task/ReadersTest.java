package org.dialtune.task;

import org.dialtune.common.SpecObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir Path dir;

    private List<RawRecord> read(DatasetReader reader, String format, String content) throws IOException {
        Path f = Fixtures.write(dir.resolve("f.txt"), content);
        return read(reader, format, f);
    }

    private List<RawRecord> read(DatasetReader reader, String format, Path f) throws IOException {
        SpecObject opts = SpecObject.of(dir.resolve("t.json"), "format", com.google.gson.JsonParser.parseString(format));
        DatasetReader.Configured c = reader.configure(opts);
        opts.finish();
        List<RawRecord> out = new ArrayList<>();
        c.read(f, "f.txt", out::add);
        return out;
    }

    private static String get(RawRecord r, String key) {
        return r.value().getAsJsonObject().get(key).getAsString();
    }

    @Test
    void csvWithSemicolonsQuotesAndMultiLineFields() throws IOException {
        List<RawRecord> rows = read(new CsvDatasetReader(), "{\"delimiter\": \";\"}",
                "id;text;label\n1;\"hello; world\";greet\n2;\"two\nlines\";multi\n3;plain;x\n");
        assertEquals(3, rows.size());
        assertEquals("hello; world", get(rows.get(0), "text"));
        assertEquals("two\nlines", get(rows.get(1), "text"));
        assertEquals("f.txt:2", rows.get(0).location());
        assertEquals("f.txt:3", rows.get(1).location());
        assertEquals("f.txt:5", rows.get(2).location()); // the quoted field took lines 3 and 4
        assertEquals("0", rows.get(0).key());
    }

    @Test
    void tsvWithoutQuotingKeepsQuoteCharacters() throws IOException {
        List<RawRecord> rows = read(new CsvDatasetReader(), "{\"delimiter\": \"\\t\", \"quote\": false}",
                "a\tb\n\"quoted\" start\tsays \"hi\n");
        assertEquals("\"quoted\" start", get(rows.get(0), "a"));
        assertEquals("says \"hi", get(rows.get(0), "b"));
    }

    @Test
    void csvWithoutHeaderNamesColumnsByIndex() throws IOException {
        List<RawRecord> rows = read(new CsvDatasetReader(), "{\"header\": false}", "x,y\nz,w\n");
        assertEquals(2, rows.size());
        assertEquals("y", get(rows.get(0), "1"));
    }

    @Test
    void invalidUtf8IsAnErrorUnlessLenient() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.write(f, new byte[] {'[', '"', 'a', (byte) 0xed, (byte) 0xa0, (byte) 0xbc, '"', ']'});
        UserError e = assertThrows(UserError.class, () -> read(new JsonDatasetReader(false), "{}", f));
        assertEquals("f.txt: not valid UTF-8 (fix the file, or set \"format\": {\"lenient_encoding\": true} to replace "
                + "broken bytes)", e.getMessage());
        List<RawRecord> ok = read(new JsonDatasetReader(false), "{\"lenient_encoding\": true}", f);
        assertEquals("a\uFFFD", ok.get(0).value().getAsJsonArray().get(0).getAsString());
    }

    @Test
    void jsonlGivesOneRecordPerLineAndSkipsBlankLines() throws IOException {
        List<RawRecord> rows = read(new JsonDatasetReader(true), "{}", "{\"a\": 1}\n\n{\"a\": 2}\n");
        assertEquals(2, rows.size());
        assertEquals("f.txt:3", rows.get(1).location());
        UserError e = assertThrows(UserError.class, () -> read(new JsonDatasetReader(true), "{}", "{\"a\": 1}\n{\"a\":\n"));
        assertEquals("f.txt:2: not valid JSON: ", e.getMessage().substring(0, "f.txt:2: not valid JSON: ".length()));
    }

    @Test
    void dealOrNoDealLinesBecomeTurnsAndOutcome() {
        JsonObject o = DealOrNoDealReader.parse("<input> 1 4 4 1 1 2 </input> <dialogue> THEM: i want the hats <eos> "
                + "YOU: ok deal <eos> THEM: <selection> </dialogue> <output> <disagree> <disagree> <disagree> <disagree> "
                + "<disagree> <disagree> </output> <partner_input> 1 0 4 2 1 2 </partner_input>", "x:1");
        assertEquals(2, o.getAsJsonArray("turns").size());
        assertEquals("YOU", o.getAsJsonArray("turns").get(1).getAsJsonObject().get("speaker").getAsString());
        assertEquals("ok deal", o.getAsJsonArray("turns").get(1).getAsJsonObject().get("text").getAsString());
        assertEquals("THEM", o.get("selection_by").getAsString());
        assertEquals("disagree", o.get("outcome").getAsString());
        assertEquals("no", o.get("deal").getAsString());
        assertEquals(6, o.getAsJsonArray("partner_input").size());
        JsonObject deal = DealOrNoDealReader.parse("<input> 1 1 1 1 1 1 </input> <dialogue> YOU: hi <eos> YOU: <selection> "
                + "</dialogue> <output> item0=1 item1=0 item2=1 item0=0 item1=1 item2=0 </output>", "x:2");
        assertEquals("deal", deal.get("outcome").getAsString());
        assertEquals("yes", deal.get("deal").getAsString());
        UserError e = assertThrows(UserError.class, () -> DealOrNoDealReader.parse("<input> 1 </input>", "x:3"));
        assertEquals("x:3: no <dialogue> section", e.getMessage());
    }

    @Test
    void jsonPathsNavigateListsObjectsAndWildcards() {
        var rec = com.google.gson.JsonParser.parseString(
                "{\"a\": [{\"t\": \"x\"}, {\"t\": \"y\"}], \"k.dot\": 5, \"utterances:\": [\"u\"]}");
        JsonPath.Scope s = new JsonPath.Scope(rec, "key7", rec.getAsJsonObject().get("a").getAsJsonArray().get(1));
        assertEquals("x", JsonPath.parse("a.0.t").resolve(s).getAsString());
        assertEquals("y", JsonPath.parse("a.-1.t").resolve(s).getAsString());
        assertEquals("[\"x\",\"y\"]", JsonPath.parse("a.*.t").resolve(s).toString());
        assertEquals("y", JsonPath.parse("@.t").resolve(s).getAsString());
        assertEquals("key7", JsonPath.parse("$key").resolve(s).getAsString());
        assertEquals(5, JsonPath.parse("k\\.dot").resolve(s).getAsInt());
        assertEquals("u", JsonPath.parse("utterances:.0").resolve(s).getAsString());
        assertEquals(null, JsonPath.parse("a.9.t").resolve(s));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a..b"));
    }
}
