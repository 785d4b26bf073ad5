package org.sparkprop.job.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.chart.ChartFactory;
import org.sparkprop.job.output.MetricsReport;

/** The run's charts as PNG bytes, drawn with JFreeChart (headless). */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 400;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Training loss (mean over rounds) and evaluation loss per epoch. */
    static byte[] loss(List<MetricsReport.Epoch> epochs, String evaluationPart) throws IOException {
        XYSeries train = new XYSeries("training loss");
        XYSeries evaluation = new XYSeries(evaluationPart + " loss");
        for (MetricsReport.Epoch e : epochs) {
            train.add(e.epoch(), e.loss());
            evaluation.add(e.epoch(), e.evaluationLoss());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(evaluation);
        return png(lineChart("Loss per epoch", "loss", data));
    }

    /** Evaluation accuracy and macro F1 per epoch, in percent. */
    static byte[] accuracy(List<MetricsReport.Epoch> epochs, String evaluationPart) throws IOException {
        XYSeries accuracy = new XYSeries(evaluationPart + " accuracy");
        XYSeries f1 = new XYSeries(evaluationPart + " macro F1");
        for (MetricsReport.Epoch e : epochs) {
            accuracy.add(e.epoch(), 100 * e.evaluationAccuracy());
            f1.add(e.epoch(), 100 * e.evaluationF1Macro());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(accuracy);
        data.addSeries(f1);
        JFreeChart chart = lineChart("Accuracy per epoch", "percent", data);
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        return png(chart);
    }

    private static JFreeChart lineChart(String title, String yLabel, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /** Heat map of the confusion matrix: rows actual, columns predicted, counts as colour. */
    static byte[] confusion(int[][] counts, List<String> classes) throws IOException {
        int n = classes.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        int max = 1;
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                int k = actual * n + predicted;
                xs[k] = predicted;
                ys[k] = actual;
                zs[k] = counts[actual][predicted];
                max = Math.max(max, counts[actual][predicted]);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("confusion", new double[][] {xs, ys, zs});
        String[] names = classes.toArray(new String[0]);
        SymbolAxis predictedAxis = new SymbolAxis("predicted class", names);
        SymbolAxis actualAxis = new SymbolAxis("actual class", names);
        actualAxis.setInverted(true);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, n > 20 ? 8 : 11);
        predictedAxis.setTickLabelFont(small);
        actualAxis.setTickLabelFont(small);
        predictedAxis.setVerticalTickLabels(n > 10);
        XYBlockRenderer renderer = new XYBlockRenderer();
        LogScale scale = new LogScale(max);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, predictedAxis, actualAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart("Confusion matrix (test)", plot);
        chart.removeLegend();
        PaintScaleLegend legend = new PaintScaleLegend(new LogSpaceScale(max), legendAxis(max));
        legend.setPosition(RectangleEdge.RIGHT);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart, Math.max(520, 40 + 28 * n), Math.max(460, 28 * n));
    }

    /**
     * The colour bar's axis: positions are log1p(count), as the colours are, with a tick at every power of ten up to
     * the largest count, labelled with the count (1, 10, 100, 1,000); white at the bottom is 0.
     */
    static NumberAxis legendAxis(int max) {
        NumberAxis axis = new NumberAxis("count (log scale)") {
            @Override
            public java.util.List<org.jfree.chart.axis.NumberTick> refreshTicks(java.awt.Graphics2D g2,
                    org.jfree.chart.axis.AxisState state, java.awt.geom.Rectangle2D dataArea, RectangleEdge edge) {
                return logTicks(max, edge == RectangleEdge.LEFT ? org.jfree.chart.ui.TextAnchor.CENTER_RIGHT
                        : org.jfree.chart.ui.TextAnchor.CENTER_LEFT);
            }
        };
        axis.setRange(0, Math.log1p(Math.max(1, max)));
        return axis;
    }

    /** The ticks of {@link #legendAxis}: the powers of ten up to {@code max}, at log1p of each. */
    static java.util.List<org.jfree.chart.axis.NumberTick> logTicks(int max, org.jfree.chart.ui.TextAnchor anchor) {
        java.util.List<org.jfree.chart.axis.NumberTick> ticks = new java.util.ArrayList<>();
        for (long count = 1; count <= Math.max(1, max); count *= 10) {
            ticks.add(new org.jfree.chart.axis.NumberTick(Math.log1p(count),
                    String.format(java.util.Locale.ROOT, "%,d", count), anchor, anchor, 0.0));
        }
        return ticks;
    }

    /** {@link LogScale}'s colours over log1p(count), for the colour bar drawn along {@link #legendAxis}. */
    private record LogSpaceScale(int max) implements PaintScale {
        public double getLowerBound() {
            return 0;
        }

        public double getUpperBound() {
            return Math.log1p(Math.max(1, max));
        }

        public java.awt.Paint getPaint(double value) {
            return new LogScale(max).getPaint(Math.expm1(value));
        }
    }

    /** White to dark blue, logarithmic in the count so that off-diagonal errors stay visible. */
    private record LogScale(int max) implements PaintScale {
        public double getLowerBound() {
            return 0;
        }

        public double getUpperBound() {
            return max;
        }

        public java.awt.Paint getPaint(double value) {
            double t = value <= 0 ? 0 : Math.log1p(value) / Math.log1p(max);
            int c = (int) Math.round(255 * (1 - t));
            return new Color(c, c, 255 - (int) Math.round(115 * t));
        }
    }

    static byte[] png(JFreeChart chart) throws IOException {
        return png(chart, WIDTH, HEIGHT);
    }

    static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart.createBufferedImage(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
