package org.dialtune.eval.report.doc;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a {@link Doc} as one self-contained HTML page: inline CSS, charts as inline SVG, no
 * scripts, fonts, images or links to anything outside the file, so it can be mailed or archived
 * with a run and still open the same way years later.
 */
public final class HtmlWriter {
    /** Numbers, percentages, intervals "[a, b]", ranges "10–20" and bounds "<0.0001": right-aligned, kept on one line. */
    private static final Pattern NUMERIC = Pattern.compile("[\\[(]?[-+−<]?[0-9][-+0-9.,eE%–\\] ]*");

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1b1f24;background:#fff}
            main{max-width:1100px;margin:0 auto;padding:24px 32px 64px}
            h1{font-size:1.7em;border-bottom:2px solid #d0d7de;padding-bottom:6px}
            h2{font-size:1.35em;margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:4px}
            h3{font-size:1.1em;margin-top:1.6em}
            p,li{line-height:1.5}
            .warning{border:2px solid #cf222e;background:#ffebe9;color:#82071e;padding:10px 14px;margin:12px 0;font-weight:600;border-radius:6px}
            table{border-collapse:collapse;margin:10px 0 18px;font-size:0.92em}
            th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}
            th{background:#f6f8fa;text-align:left}
            tr:nth-child(even) td{background:#fbfcfd}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            figure{margin:12px 0 24px}
            figure svg{max-width:100%;height:auto;border:1px solid #eaeef2}
            """;

    public String render(Doc doc) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(doc.title())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(escape(doc.title())).append("</h1>\n");
        int figures = 0;
        for (Block b : doc.blocks()) {
            if (b instanceof Block.Heading h) {
                int level = Math.min(6, Math.max(2, h.level()));
                sb.append("<h").append(level).append('>').append(escape(h.text())).append("</h").append(level).append(">\n");
            } else if (b instanceof Block.Paragraph p) {
                sb.append("<p>").append(escape(p.text())).append("</p>\n");
            } else if (b instanceof Block.Warning w) {
                sb.append("<div class=\"warning\">WARNING: ").append(escape(w.text())).append("</div>\n");
            } else if (b instanceof Block.Bullets l) {
                sb.append("<ul>\n");
                for (String item : l.items()) sb.append("<li>").append(escape(item)).append("</li>\n");
                sb.append("</ul>\n");
            } else if (b instanceof Block.Table t) {
                table(sb, t);
            } else if (b instanceof Block.Figure f) {
                String id = "fig" + (++figures);
                sb.append("<figure>").append(SvgChart.render(f.chart(), f.width(), f.height(), id)).append("</figure>\n");
            }
        }
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void table(StringBuilder sb, Block.Table t) {
        sb.append("<table>\n<thead><tr>");
        for (String h : t.header()) sb.append("<th>").append(escape(h)).append("</th>");
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows()) {
            sb.append("<tr>");
            for (String c : r) {
                sb.append(NUMERIC.matcher(c).matches() ? "<td class=\"num\">" : "<td>").append(escape(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
