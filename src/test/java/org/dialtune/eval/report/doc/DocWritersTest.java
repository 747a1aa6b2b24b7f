package org.dialtune.eval.report.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dialtune.eval.report.chart.Charts;
import org.dialtune.eval.report.chart.IntervalBar;
import org.junit.jupiter.api.Test;

class DocWritersTest {
    private static Doc doc() {
        return new Doc("Run <1>")
                .warning("mixed & dirty")
                .paragraph("task a|b")
                .table(List.of("Task", "Mean", "95% CI", "p"), List.of(List.of("<script>x</script> | y", "0.500", "[0.4, 0.6]", "<0.0001")))
                .figure(Charts.intervalBars("Gains <per> task", "task", "gain (score points)",
                        List.of(new IntervalBar("t&1", 0.2, 0.1, 0.3), IntervalBar.withoutInterval("t2", -0.1))), 600, 200);
    }

    @Test
    void htmlEscapesDataAndInlinesTheChart() {
        String html = new HtmlWriter().render(doc());
        assertTrue(html.contains("<title>Run &lt;1&gt;</title>"));
        assertTrue(html.contains("<div class=\"warning\">WARNING: mixed &amp; dirty</div>"));
        assertTrue(html.contains("<td>&lt;script&gt;x&lt;/script&gt; | y</td><td class=\"num\">0.500</td>"
                + "<td class=\"num\">[0.4, 0.6]</td><td class=\"num\">&lt;0.0001</td>"), html);
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("<svg id='fig1'"));
        // chart text is escaped by the SVG writer; no namespace URLs remain
        assertTrue(html.contains("Gains &lt;per&gt; task"));
        assertTrue(html.contains("t&amp;1"));
        assertFalse(html.contains("http"));
    }

    @Test
    void markdownEscapesTableCellsAndPointsChartsToTheHtml() {
        String md = new MarkdownWriter("report.html").render(doc());
        assertEquals("""
                # Run \\<1\\>

                > **WARNING:** mixed & dirty

                task a|b

                | Task | Mean | 95% CI | p |
                | --- | --- | --- | --- |
                | \\<script\\>x\\</script\\> \\| y | 0.500 | [0.4, 0.6] | \\<0.0001 |

                *Chart: Gains \\<per\\> task (see report.html)*

                """, md);
    }

    @Test
    void degenerateDataStillGetsReadableAxes() {
        // all-zero gains and a log with one line: JFreeChart alone would zoom to ±5e-9 and print "5E-9"
        String bars = SvgChart.render(Charts.intervalBars("zero", "task", "gain", List.of(
                new IntervalBar("a", 0, 0, 0), new IntervalBar("b", 0, 0, 0))), 600, 200, "z");
        String line = SvgChart.render(Charts.xy("one point", "step", "loss",
                java.util.Map.of("s", List.of(new double[] {8, 7.592})), Charts.Marks.LINES_AND_POINTS), 600, 300, "o");
        for (String svg : List.of(bars, line)) {
            assertFalse(svg.matches("(?s).*>[-0-9.]+E-?[0-9]+<.*"), "scientific tick labels in " + svg);
        }
        assertTrue(bars.contains(">0.000<") || bars.contains(">0<") || bars.contains(">0.00<"), bars);
        assertTrue(line.contains(">8.00<") || line.contains(">8.0<") || line.contains(">8<"), line);
    }

    @Test
    void tablesRejectRaggedRowsAndChartsDuplicateBars() {
        assertThrows(IllegalArgumentException.class, () -> new Doc("x").table(List.of("a", "b"), List.of(List.of("1"))));
        assertThrows(IllegalArgumentException.class, () -> Charts.intervalBars("t", "x", "y",
                List.of(IntervalBar.withoutInterval("a", 1), IntervalBar.withoutInterval("a", 2))));
    }
}
