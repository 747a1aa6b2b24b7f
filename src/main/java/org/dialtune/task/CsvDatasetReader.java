package org.dialtune.task;

import org.dialtune.common.SpecObject;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.dialtune.common.UserError;

/**
 * CSV and TSV through Commons CSV. Options: {@code delimiter} (default {@code ","}; {@code "\t"} for
 * TSV), {@code quote} (default {@code "\""}; {@code false} to split on the delimiter only, as BEGIN
 * needs), {@code header} (default true; without a header, columns are named {@code 0}, {@code 1}, ...),
 * {@code lenient_encoding}. Quoted fields may span lines. Each row becomes an object of strings.
 */
public final class CsvDatasetReader implements DatasetReader {
    @Override
    public Configured configure(SpecObject format) {
        String delimiter = ",";
        if (format.has("delimiter")) {
            var d = format.get("delimiter");
            if (!d.isJsonPrimitive() || d.getAsString().length() != 1) {
                throw format.error("delimiter", "expected one character, e.g. \",\", \";\" or \"\\t\"");
            }
            delimiter = d.getAsString();
        }
        Character quote = '"';
        if (format.has("quote")) {
            var q = format.get("quote");
            if (q.isJsonPrimitive() && q.getAsJsonPrimitive().isBoolean() && !q.getAsBoolean()) {
                quote = null;
            } else if (q.isJsonPrimitive() && q.getAsJsonPrimitive().isString() && q.getAsString().length() == 1) {
                quote = q.getAsString().charAt(0);
            } else {
                throw format.error("quote", "expected one character, or false for no quoting");
            }
        }
        boolean header = format.optBoolean("header", true);
        boolean lenient = format.optBoolean("lenient_encoding", false);
        CSVFormat csv = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuote(quote)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .get();
        return (file, shown, sink) -> read(file, shown, sink, csv, header, lenient);
    }

    private static void read(Path file, String shown, Consumer<RawRecord> sink, CSVFormat csv, boolean header,
            boolean lenient) throws IOException {
        try (BufferedReader in = TextFiles.open(file, lenient); CSVParser parser = CSVParser.parse(in, csv)) {
            List<String> names = null;
            long line = 1; // the line where the next record starts
            for (CSVRecord rec : parser) {
                long start = line;
                line = parser.getCurrentLineNumber() + 1;
                if (header && names == null) {
                    names = rec.toList();
                    continue;
                }
                JsonObject row = new JsonObject();
                for (int i = 0; i < rec.size(); i++) {
                    String name = header ? (i < names.size() ? names.get(i) : String.valueOf(i)) : String.valueOf(i);
                    if (!row.has(name)) row.addProperty(name, rec.get(i));
                }
                sink.accept(new RawRecord(row, String.valueOf(rec.getRecordNumber() - (header ? 1 : 0) - 1),
                        shown + ":" + start));
            }
        } catch (CharacterCodingException e) {
            throw new UserError(shown + ": " + TextFiles.encodingHint());
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new UserError(shown + ": " + TextFiles.encodingHint());
            }
            throw new UserError(shown + ": cannot parse as CSV: " + e.getCause().getMessage());
        } catch (IllegalStateException e) { // Commons CSV reports broken quoting this way
            throw new UserError(shown + ": cannot parse as CSV: " + e.getMessage().replace('\n', ' '));
        }
    }
}
