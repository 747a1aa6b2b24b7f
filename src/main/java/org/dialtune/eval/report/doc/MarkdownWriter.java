package org.dialtune.eval.report.doc;

import java.util.List;

/**
 * Renders a {@link Doc} as GitHub-flavoured Markdown. Charts cannot be inlined portably in Markdown,
 * so each one becomes a caption that points at the HTML file holding it.
 */
public final class MarkdownWriter {
    private final String htmlName;

    /** @param htmlName the file name of the HTML rendering, named where charts would be */
    public MarkdownWriter(String htmlName) {
        this.htmlName = htmlName;
    }

    public String render(Doc doc) {
        StringBuilder sb = new StringBuilder("# ").append(inline(doc.title())).append("\n\n");
        for (Block b : doc.blocks()) {
            if (b instanceof Block.Heading h) {
                sb.append("#".repeat(Math.max(2, h.level()))).append(' ').append(inline(h.text())).append("\n\n");
            } else if (b instanceof Block.Paragraph p) {
                sb.append(inline(p.text())).append("\n\n");
            } else if (b instanceof Block.Warning w) {
                sb.append("> **WARNING:** ").append(inline(w.text())).append("\n\n");
            } else if (b instanceof Block.Bullets l) {
                for (String item : l.items()) sb.append("- ").append(inline(item)).append('\n');
                sb.append('\n');
            } else if (b instanceof Block.Table t) {
                table(sb, t);
            } else if (b instanceof Block.Figure f) {
                sb.append("*Chart: ").append(inline(f.chart().getTitle().getText()))
                        .append(" (see ").append(htmlName).append(")*\n\n");
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Block.Table t) {
        row(sb, t.header());
        sb.append('|');
        for (int i = 0; i < t.header().size(); i++) sb.append(" --- |");
        sb.append('\n');
        for (List<String> r : t.rows()) row(sb, r);
        sb.append('\n');
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(inline(c).replace("|", "\\|")).append(" |");
        sb.append('\n');
    }

    /** Text from data (task names, stage lists) must not turn into Markdown markup or break a line. */
    static String inline(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\n' || c == '\r') out.append(' ');
            else {
                if ("\\`*_<>#".indexOf(c) >= 0) out.append('\\');
                out.append(c);
            }
        }
        return out.toString();
    }
}
