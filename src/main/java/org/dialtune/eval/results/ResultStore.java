package org.dialtune.eval.results;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.dialtune.common.UserError;

/**
 * {@code results.csv} of an experiment. All rows of one grid cell are appended in a single write and
 * synced, so after a crash a cell is either wholly present (and skipped on resume) or absent (and
 * run again); a torn last line from a crash during the write is detected, counted and cut off.
 */
public final class ResultStore {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader(ResultRow.COLUMNS.toArray(String[]::new)).setRecordSeparator('\n').get();

    private final Path file;

    public ResultStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Every complete row. A torn final line (crash mid-write) is removed from the file and reported. */
    public List<ResultRow> read() {
        if (!Files.exists(file)) return List.of();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                int cut = text.lastIndexOf('\n') + 1;
                System.err.println("dialtune: " + file + ": removed 1 incomplete last line left by an interrupted run");
                try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
                    out.getChannel().truncate(cut);
                }
                text = text.substring(0, cut);
            }
            return parse(text);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The complete rows of a file, and whether an incomplete last line was left out of them. */
    public record Snapshot(List<ResultRow> rows, boolean incompleteLastLine) {}

    /**
     * Every complete row, leaving the file as it is: for readers such as reports, which may run while
     * an experiment is still appending (cutting its half-written line would corrupt the file).
     */
    public Snapshot snapshot() {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            boolean torn = !text.isEmpty() && !text.endsWith("\n");
            String complete = torn ? text.substring(0, text.lastIndexOf('\n') + 1) : text;
            // an empty file (or a header still being written) holds no rows yet
            return new Snapshot(complete.isEmpty() ? List.of() : parse(complete), torn);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(file + ": file not found");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private List<ResultRow> parse(String text) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        try (Reader r = new java.io.StringReader(text);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            if (!ResultRow.READABLE_HEADERS.contains(p.getHeaderNames())) {
                List<String> missing = new ArrayList<>(ResultRow.COLUMNS);
                missing.removeAll(p.getHeaderNames());
                throw new UserError(file + ": unexpected columns " + p.getHeaderNames()
                        + (missing.isEmpty() ? "" : ", missing " + String.join(", ", missing))
                        + " (written by another dialtune version? move it away or use another --out)");
            }
            for (CSVRecord rec : p) {
                try {
                    rows.add(ResultRow.of(rec.toMap()));
                } catch (RuntimeException e) {
                    throw new UserError(file + ":" + (rec.getRecordNumber() + 1) + ": bad result row: " + e.getMessage());
                }
            }
        }
        return rows;
    }

    /** Cells with rows in the file: the work a resumed experiment skips. */
    public Set<String> finishedCells() {
        Set<String> cells = new LinkedHashSet<>();
        for (ResultRow r : read()) cells.add(r.cell());
        return cells;
    }

    /** Replaces the file with these rows, atomically (a reader sees the old file or the new one). */
    public void writeAll(List<ResultRow> rows) {
        try {
            org.dialtune.common.AtomicFiles.writeString(file, csv(rows, FORMAT));
        } catch (IOException e) {
            throw new UserError(file + ": cannot write results: " + e.getMessage(), e);
        }
    }

    /** Appends all rows of one cell at once and syncs them to disk. */
    public void appendCell(List<ResultRow> rows) {
        if (rows.isEmpty()) return;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file) || Files.size(file) == 0 || hasCurrentColumns()) {
                append(rows);
            } else {
                List<ResultRow> all = new ArrayList<>(read());
                all.addAll(rows);
                org.dialtune.common.AtomicFiles.writeString(file, csv(all, FORMAT));
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot append results: " + e.getMessage(), e);
        }
    }

    private boolean hasCurrentColumns() throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            return header != null && header.strip().equals(String.join(",", ResultRow.COLUMNS));
        }
    }

    private static String csv(List<ResultRow> rows, CSVFormat format) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            for (ResultRow r : rows) printer.printRecord(r.values());
        }
        return text.toString();
    }

    private void append(List<ResultRow> rows) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        String text = csv(rows, fresh ? FORMAT : FORMAT.builder().setSkipHeaderRecord(true).get());
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true);
             OutputStreamWriter w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            w.write(text);
            w.flush();
            out.getChannel().force(true);
        }
    }
}
