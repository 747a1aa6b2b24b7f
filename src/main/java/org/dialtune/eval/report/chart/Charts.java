package org.dialtune.eval.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's chart kinds, built with JFreeChart in one plain style: white background, light
 * grid, flat bars. Every chart has a title and labelled axes; callers put units in the labels.
 */
public final class Charts {
    private static final Color BAR = new Color(0x4C78A8);
    private static final Color NEGATIVE_BAR = new Color(0xE45756);
    private static final Color GRID = new Color(0xD0D7DE);
    private static final Color[] SERIES = {new Color(0x4C78A8), new Color(0xF58518), new Color(0x54A24B),
        new Color(0xE45756), new Color(0x72B7B2), new Color(0xB279A2), new Color(0xFF9DA6), new Color(0x9D755D)};

    /**
     * The smallest span a value axis shows. Without it, identical values (all scores 0, one log line)
     * make JFreeChart zoom to ±5e-9 and label every tick in scientific notation.
     */
    private static final double MIN_VALUE_RANGE = 0.01;

    private Charts() {}

    /** Pixel height of a horizontal bar chart with {@code bars} bars: room for each label, within limits. */
    public static int barChartHeight(int bars) {
        return Math.max(180, Math.min(1400, 110 + 30 * bars));
    }

    /**
     * Horizontal bars (long labels stay legible) with confidence-interval whiskers (the caller names the
     * interval in the value label). Bars with a negative value are drawn in a second colour, so losses
     * stand out in gain charts.
     */
    public static JFreeChart intervalBars(String title, String categoryLabel, String valueLabel, List<IntervalBar> bars) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<String> seen = new LinkedHashSet<>();
        for (IntervalBar b : bars) {
            if (!seen.add(b.label())) throw new IllegalArgumentException("duplicate bar label " + b.label());
            data.addValue(b.value(), "value", b.label());
        }
        CiBarRenderer renderer = new CiBarRenderer(bars, BAR, NEGATIVE_BAR);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.08);
        renderer.setItemMargin(0);
        CategoryAxis categories = new CategoryAxis(categoryLabel);
        categories.setMaximumCategoryLabelWidthRatio(0.45f);
        categories.setMaximumCategoryLabelLines(2);
        NumberAxis values = new NumberAxis(valueLabel);
        values.setAutoRangeIncludesZero(true);
        values.setAutoRangeMinimumSize(MIN_VALUE_RANGE);
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        plot.setRangeZeroBaselineVisible(true);
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false));
    }

    /** How an xy chart draws its series. */
    public enum Marks {
        LINES(true, false), POINTS(false, true), LINES_AND_POINTS(true, true);

        final boolean lines;
        final boolean points;

        Marks(boolean lines, boolean points) {
            this.lines = lines;
            this.points = points;
        }
    }

    /** One series per map entry, in the map's order; each series is a list of (x, y) pairs. */
    public static JFreeChart xy(String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
                                Marks marks) {
        return xy(title, xLabel, yLabel, series, marks, false);
    }

    /**
     * As {@link #xy(String, String, String, Map, Marks)}; with {@code logX} the x axis is logarithmic (base
     * 10, ticks like 1e12: FLOP budgets span orders of magnitude) and every x must be &gt; 0.
     */
    public static JFreeChart xy(String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
                                Marks marks, boolean logX) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                if (logX && !(p[0] > 0)) throw new IllegalArgumentException("x = " + p[0] + " on a log axis (" + title + ")");
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(marks.lines, marks.points);
        org.jfree.chart.axis.ValueAxis x;
        if (logX) {
            // LogarithmicAxis, not LogAxis: LogAxis draws its labels as attributed strings, which JFreeSVG turns
            // into outlines (no text in the page)
            org.jfree.chart.axis.LogarithmicAxis log = new org.jfree.chart.axis.LogarithmicAxis(xLabel);
            log.setExpTickLabelsFlag(true);
            log.setStrictValuesFlag(true);
            x = log;
        } else {
            NumberAxis linear = new NumberAxis(xLabel);
            linear.setAutoRangeIncludesZero(false);
            linear.setAutoRangeMinimumSize(1);
            x = linear;
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        y.setAutoRangeMinimumSize(MIN_VALUE_RANGE);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        JFreeChart chart = style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.size() > 1));
        // after the theme, which resets series colours to its own palette
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, SERIES[i % SERIES.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        return chart;
    }

    private static JFreeChart style(JFreeChart chart) {
        StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(GRID);
        theme.setRangeGridlinePaint(GRID);
        theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        theme.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        theme.setBarPainter(new StandardBarPainter());
        theme.setShadowVisible(false);
        theme.apply(chart);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(6, 6, 6, 12));
        TextTitle t = chart.getTitle();
        if (t != null) t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        return chart;
    }
}
