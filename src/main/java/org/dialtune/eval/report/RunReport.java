package org.dialtune.eval.report;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.AtomicFiles;
import org.dialtune.eval.report.doc.Doc;
import org.dialtune.eval.report.doc.HtmlWriter;
import org.dialtune.eval.report.doc.MarkdownWriter;

/** Writes a run's report as {@code report.md} and a self-contained {@code report.html}, each atomically. */
public final class RunReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private RunReport() {}

    /** @return the files written, Markdown first */
    public static List<Path> write(RunAnalysis analysis, Path outDir) {
        Doc doc = RunReportDoc.build(analysis);
        Path md = outDir.resolve(MARKDOWN);
        Path html = outDir.resolve(HTML);
        // render both before writing either, so a rendering failure leaves no half-updated pair behind
        String markdown = new MarkdownWriter(HTML).render(doc);
        String page = new HtmlWriter().render(doc);
        AtomicFiles.writeString(md, markdown);
        AtomicFiles.writeString(html, page);
        return List.of(md, html);
    }
}
