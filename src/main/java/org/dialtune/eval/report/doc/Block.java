package org.dialtune.eval.report.doc;

import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * One piece of a report. Reports are built once as a list of blocks and then rendered both as
 * Markdown and as HTML, so the two files always say the same thing.
 */
public sealed interface Block {
    /** A section title; level 1 is the document title. */
    record Heading(int level, String text) implements Block {}

    /** Plain prose. */
    record Paragraph(String text) implements Block {}

    /** Something the reader must not miss (mixed commits, uncommitted code): shown boxed in HTML, bold in Markdown. */
    record Warning(String text) implements Block {}

    /** A bulleted list. */
    record Bullets(List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /** A table of already formatted cells; every row has as many cells as the header. */
    record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> r : rows) {
                if (r.size() != header.size()) {
                    throw new IllegalArgumentException("table row " + r + " has " + r.size() + " cells, header has " + header.size());
                }
            }
        }
    }

    /** A chart drawn at {@code width} × {@code height} pixels; its title doubles as the caption. */
    record Figure(JFreeChart chart, int width, int height) implements Block {}
}
