package org.dialtune.eval.report.doc;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/** A report under construction: a title and its blocks, in reading order. */
public final class Doc {
    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Doc(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public Doc heading(int level, String text) {
        blocks.add(new Block.Heading(level, text));
        return this;
    }

    public Doc paragraph(String text) {
        blocks.add(new Block.Paragraph(text));
        return this;
    }

    public Doc warning(String text) {
        blocks.add(new Block.Warning(text));
        return this;
    }

    public Doc bullets(List<String> items) {
        blocks.add(new Block.Bullets(items));
        return this;
    }

    public Doc table(List<String> header, List<List<String>> rows) {
        blocks.add(new Block.Table(header, rows));
        return this;
    }

    public Doc figure(JFreeChart chart, int width, int height) {
        blocks.add(new Block.Figure(chart, width, height));
        return this;
    }
}
