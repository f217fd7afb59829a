package io.edgestop.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;

/**
 * A PNG of latency distributions as percentile curves (HdrHistogram style): x is the percentile
 * on a log scale of 1/(1-p) (50%, 90%, 99%, 99.9%...), y the latency in ms on a log scale. Plain
 * Java2D, headless. Each curve stops at the highest percentile its sample count supports.
 */
final class LatencyPlot {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final int W = 1200;
    private static final int H = 750;
    private static final int LEFT = 80;
    private static final int RIGHT = 420;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private record Series(String name, Histogram micros) {
    }

    private final List<Series> series = new ArrayList<>();
    private final String title;

    LatencyPlot(String title) {
        this.title = title;
    }

    /** Adds the row's distribution, if it has one with samples. */
    LatencyPlot add(Bench.Row row) {
        if (row != null && row.latencyMicros() != null && row.latencyMicros().getTotalCount() > 0) {
            series.add(new Series(row.name(), row.latencyMicros()));
        }
        return this;
    }

    void write(Path file) throws IOException {
        double maxX = 1;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Series s : series) {
            maxX = Math.max(maxX, maxX(s.micros()));
            minMs = Math.min(minMs, s.micros().getMinValue() / 1000.0);
            maxMs = Math.max(maxMs, s.micros().getMaxValue() / 1000.0);
        }
        double yLo = Math.floor(Math.log10(Math.max(0.01, minMs)));
        double yHi = Math.ceil(Math.log10(Math.max(maxMs, 1)));
        if (yHi <= yLo) {
            yHi = yLo + 1;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int d = 0; d <= (int) Math.ceil(maxX); d++) { // percentile grid: 0%, 90%, 99%, ...
            int x = LEFT + (int) (plotW * d / Math.ceil(maxX));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(percentileLabel(d), x - 18, TOP + plotH + 18);
        }
        for (int e = (int) yLo; e <= (int) yHi; e++) { // decades of milliseconds
            int y = TOP + plotH - (int) (plotH * (e - yLo) / (yHi - yLo));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(msLabel(e), LEFT - 60, y + 4);
        }
        g.drawString("percentile", LEFT + plotW / 2 - 30, H - 20);
        g.drawString("ms", 20, TOP - 10);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Path2D.Double path = new Path2D.Double();
            double sMax = maxX(s.micros());
            for (double x = 0; x <= sMax + 1e-9; x += 0.01) {
                double ms = s.micros().getValueAtPercentile(100 * (1 - Math.pow(10, -x))) / 1000.0;
                double px = LEFT + plotW * x / Math.ceil(maxX);
                double py = TOP + plotH - plotH * (Math.log10(Math.max(ms, Math.pow(10, yLo))) - yLo) / (yHi - yLo);
                if (x == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.setColor(COLORS[i % COLORS.length]);
            g.draw(path);
            int ly = TOP + 20 + i * 36;
            g.fillRect(W - RIGHT + 20, ly - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), W - RIGHT + 40, ly - 2);
            g.drawString(String.format(Locale.ROOT, "p50 %.1f  p99 %.1f  p99.9 %.1f ms  (n=%d)",
                    s.micros().getValueAtPercentile(50) / 1000.0, s.micros().getValueAtPercentile(99) / 1000.0,
                    s.micros().getValueAtPercentile(99.9) / 1000.0, s.micros().getTotalCount()), W - RIGHT + 40, ly + 12);
        }
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /** The highest percentile (as log10 of 1/(1-p)) that n samples support. */
    private static double maxX(Histogram h) {
        return Math.max(1, Math.min(5, Math.log10(h.getTotalCount())));
    }

    private static String percentileLabel(int decade) {
        if (decade == 0) {
            return "0%";
        }
        return String.format(Locale.ROOT, "%." + Math.max(0, decade - 2) + "f%%", 100 * (1 - Math.pow(10, -decade)));
    }

    private static String msLabel(int exponent) {
        double v = Math.pow(10, exponent);
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%." + (-exponent) + "f", v);
    }
}
