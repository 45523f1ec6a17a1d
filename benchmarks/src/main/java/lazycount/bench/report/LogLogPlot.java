package lazycount.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart with logarithmic axes (x base 2, y decades with 1-2-5 ticks)
 * and error bars: just enough java.awt to plot cost against the number of
 * CPUs without a plotting dependency. A log y axis keeps a flat curve near
 * 500 ns and a growing one near 100 us readable on one chart; a cost linear in
 * nrCpus shows as a slope of one decade per decade. Runs headless.
 */
final class LogLogPlot {

    record Point(double x, double y, double error) { }

    record Series(String name, Color color, List<Point> points) { }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    LogLogPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LogLogPlot add(Series s) {
        if (!s.points().isEmpty()) {
            series.add(s);
        }
        return this;
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    /** Writes the plot to {@code png} unless it has no series; whether it did. */
    boolean writeIfAny(Path png) throws IOException {
        if (isEmpty()) {
            return false;
        }
        write(png);
        return true;
    }

    void write(Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private void draw(Graphics2D g) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (Point p : s.points()) {
                double err = Double.isNaN(p.error()) ? 0 : p.error();
                minX = Math.min(minX, p.x());
                maxX = Math.max(maxX, p.x());
                minY = Math.min(minY, Math.max(p.y() - err, p.y() / 2));
                maxY = Math.max(maxY, p.y() + err);
            }
        }
        double lo = log2(minX), hi = Math.max(log2(maxX), lo + 1);
        double yLo = Math.floor(Math.log10(minY)), yHi = Math.ceil(Math.log10(maxY));
        if (yHi <= yLo) {
            yHi = yLo + 1;
        }
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        final double yBottom = yLo, yTop = yHi;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + (log2(x) - lo) / (hi - lo) * plotW;
        java.util.function.DoubleUnaryOperator py =
                y -> TOP + plotH - (Math.log10(Math.max(y, 1e-300)) - yBottom) / (yTop - yBottom) * plotH;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, TOP - 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();

        // Grid and ticks: y at 1, 2, 5 x 10^k; one x tick per nrCpus that some point sits on.
        for (double decade = Math.pow(10, yLo); decade < Math.pow(10, yHi) * 1.001; decade *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                double y = decade * m;
                if (y > Math.pow(10, yHi) * 1.001) {
                    break;
                }
                int yy = (int) Math.round(py.applyAsDouble(y));
                g.setColor(m == 1 ? new Color(205, 205, 205) : new Color(235, 235, 235));
                g.drawLine(LEFT, yy, LEFT + plotW, yy);
                g.setColor(Color.BLACK);
                String label = formatTick(y);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), yy + fm.getAscent() / 2 - 1);
            }
        }
        for (Series s : series) {
            for (Point p : s.points()) {
                int xx = (int) Math.round(px.applyAsDouble(p.x()));
                g.setColor(new Color(225, 225, 225));
                g.drawLine(xx, TOP, xx, TOP + plotH);
                g.setColor(Color.BLACK);
                String label = formatTick(p.x());
                g.drawString(label, xx - fm.stringWidth(label) / 2, TOP + plotH + 18);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, TOP + plotH + 42);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), LEFT - 62);
        g.setTransform(saved);

        int legendY = TOP + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.2f));
            int prevX = -1, prevY = -1;
            for (Point p : s.points()) {
                int xx = (int) Math.round(px.applyAsDouble(p.x()));
                int yy = (int) Math.round(py.applyAsDouble(p.y()));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, xx, yy);
                }
                prevX = xx;
                prevY = yy;
            }
            g.setStroke(new BasicStroke(1.2f));
            for (Point p : s.points()) {
                int xx = (int) Math.round(px.applyAsDouble(p.x()));
                int yy = (int) Math.round(py.applyAsDouble(p.y()));
                g.fillOval(xx - 4, yy - 4, 8, 8);
                if (!Double.isNaN(p.error()) && p.error() > 0) {
                    int top = (int) Math.round(py.applyAsDouble(p.y() + p.error()));
                    int bottom = (int) Math.round(py.applyAsDouble(Math.max(p.y() / 2, p.y() - p.error())));
                    g.drawLine(xx, top, xx, bottom);
                    g.drawLine(xx - 4, top, xx + 4, top);
                    g.drawLine(xx - 4, bottom, xx + 4, bottom);
                }
            }
            g.setStroke(new BasicStroke(2.2f));
            g.drawLine(LEFT + plotW + 15, legendY, LEFT + plotW + 40, legendY);
            g.fillOval(LEFT + plotW + 24, legendY - 4, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + plotW + 48, legendY + 4);
            legendY += 22;
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static String formatTick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        return String.format("%.3g", v);
    }
}
