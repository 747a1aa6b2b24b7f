package org.dialtune.eval.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;

/**
 * Bars with a whisker from the interval's low to high end. JFreeChart's StatisticalBarRenderer draws
 * mean ± a standard deviation; a confidence interval is mean ± t × standard error, and need not be
 * symmetric in general, so this renderer draws the interval it is given (one series, bars in the
 * order of {@code bars}).
 */
final class CiBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final transient List<IntervalBar> bars;
    private final transient Paint positive;
    private final transient Paint negative;

    CiBarRenderer(List<IntervalBar> bars, Paint positive, Paint negative) {
        this.bars = List.copyOf(bars);
        this.positive = positive;
        this.negative = negative;
    }

    /** Negative bars (losses in a gain chart) get their own colour so they stand out. */
    @Override
    public Paint getItemPaint(int row, int column) {
        return bars.get(column).value() < 0 ? negative : positive;
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                         CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                         int pass) {
        super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
        IntervalBar bar = bars.get(column);
        if (!bar.hasInterval()) return;
        PlotOrientation orientation = plot.getOrientation();
        double w0 = calculateBarW0(plot, orientation, dataArea, domainAxis, state, row, column);
        double mid = w0 + state.getBarWidth() / 2;
        double cap = Math.min(8, state.getBarWidth() / 3);
        double lo = rangeAxis.valueToJava2D(bar.low(), dataArea, plot.getRangeAxisEdge());
        double hi = rangeAxis.valueToJava2D(bar.high(), dataArea, plot.getRangeAxisEdge());
        g2.setPaint(Color.BLACK);
        g2.setStroke(new BasicStroke(1.2f));
        if (orientation == PlotOrientation.HORIZONTAL) {
            g2.draw(new Line2D.Double(lo, mid, hi, mid));
            g2.draw(new Line2D.Double(lo, mid - cap, lo, mid + cap));
            g2.draw(new Line2D.Double(hi, mid - cap, hi, mid + cap));
        } else {
            g2.draw(new Line2D.Double(mid, lo, mid, hi));
            g2.draw(new Line2D.Double(mid - cap, lo, mid + cap, lo));
            g2.draw(new Line2D.Double(mid - cap, hi, mid + cap, hi));
        }
    }

    /** The axis must reach the whiskers' ends, not only the bars'. */
    @Override
    public Range findRangeBounds(CategoryDataset dataset) {
        Range r = super.findRangeBounds(dataset);
        for (IntervalBar b : bars) {
            if (b.hasInterval()) r = Range.expandToInclude(Range.expandToInclude(r, b.low()), b.high());
        }
        return r;
    }
}
