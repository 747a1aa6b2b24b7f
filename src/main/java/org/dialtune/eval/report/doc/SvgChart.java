package org.dialtune.eval.report.doc;

import java.awt.Rectangle;
import java.util.regex.Pattern;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Draws a JFreeChart into an SVG element for inlining in HTML. Every chart in a page gets its own
 * id prefix, because JFreeSVG's clip paths and gradients are referenced by id and would otherwise
 * collide (or change from run to run: the default prefix comes from the clock).
 */
public final class SvgChart {
    /** Namespace declarations are implied for inline SVG in HTML; dropping them keeps the page free of URLs. */
    private static final Pattern XMLNS = Pattern.compile("\\s+xmlns(:[A-Za-z]+)?='[^']*'");

    private SvgChart() {}

    public static String render(JFreeChart chart, int width, int height, String id) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        // hundredths of a pixel are invisible; the default full doubles make the page several times larger
        g.setGeomDoubleConverter(SvgChart::round);
        g.setTransformDoubleConverter(SvgChart::round);
        chart.draw(g, new Rectangle(0, 0, width, height));
        String svg = g.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
        return XMLNS.matcher(svg).replaceAll("");
    }

    private static String round(double d) {
        return Double.toString(Math.round(d * 100) / 100.0);
    }
}
