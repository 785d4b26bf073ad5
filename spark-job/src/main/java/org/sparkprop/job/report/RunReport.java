package org.sparkprop.job.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparkprop.job.output.AtomicFiles;
import org.sparkprop.job.output.MetricsReport;

/**
 * After training: {@code loss.png}, {@code accuracy.png} and {@code confusion.png} (JFreeChart), and
 * {@code report.html}, one self-contained page (charts inlined as data URIs) with the run's facts, the final test
 * figures, the epoch table, the confusion matrix, the resolved config and, when DL4J's Spark statistics were
 * collected, their timeline.
 */
public final class RunReport {
    public static final String HTML = "report.html";
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String CONFUSION_PNG = "confusion.png";

    private final MetricsReport metrics;
    private final String statsHtml;

    /** @param statsHtml DL4J's Spark statistics page, or null */
    public RunReport(MetricsReport metrics, String statsHtml) {
        this.metrics = metrics;
        this.statsHtml = statsHtml;
    }

    /** Writes the PNGs and report.html into {@code dir}; returns the report's path. */
    @SuppressWarnings("unchecked")
    public Path write(Path dir) throws IOException {
        List<MetricsReport.Epoch> epochs = metrics.epochs();
        Map<String, Object> result = metrics.result();
        String part = String.valueOf(metrics.get("epoch_evaluation"));
        byte[] loss = Charts.loss(epochs, part);
        byte[] accuracy = Charts.accuracy(epochs, part);
        List<String> classes = (List<String>) result.get("classes");
        int[][] confusion = (int[][]) result.get("confusion_matrix");
        byte[] confusionPng = Charts.confusion(confusion, classes);
        AtomicFiles.write(dir.resolve(LOSS_PNG), tmp -> java.nio.file.Files.write(tmp, loss));
        AtomicFiles.write(dir.resolve(ACCURACY_PNG), tmp -> java.nio.file.Files.write(tmp, accuracy));
        AtomicFiles.write(dir.resolve(CONFUSION_PNG), tmp -> java.nio.file.Files.write(tmp, confusionPng));

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sparkprop report: ")
                .append(esc(metrics.get("model"))).append(" on ").append(esc(metrics.get("dataset")))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#f2f2f2}td.k{text-align:left}img{max-width:100%}"
                        + "td.d{background:#dde8ff;font-weight:bold}</style></head><body>\n");
        html.append("<h1>").append(esc(metrics.get("model"))).append(" on ").append(esc(metrics.get("dataset")))
                .append("</h1>\n<table>");
        for (String key : List.of("parameters", "train_examples", "test_examples", "epoch_evaluation", "workers",
                "spark_master", "trainer", "kept_epoch")) {
            if (metrics.get(key) != null) {
                row(html, key, metrics.get(key));
            }
        }
        html.append("</table>\n<h2>Final test figures</h2>\n<table>");
        for (String key : List.of("accuracy", "precision_macro", "recall_macro", "f1_macro", "top5_accuracy", "loss",
                "examples", "wall_seconds")) {
            if (result.get(key) != null) {
                Object v = result.get(key);
                row(html, key, v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v);
            }
        }
        html.append("</table>\n<h2>Per epoch</h2>\n");
        img(html, loss, "loss per epoch");
        img(html, accuracy, "accuracy per epoch");
        html.append("<table><tr><th>epoch</th><th>training loss</th><th>").append(esc(part)).append(" loss</th><th>")
                .append(esc(part)).append(" accuracy</th><th>").append(esc(part))
                .append(" macro F1</th><th>images/s</th><th>train s</th><th>elapsed s</th></tr>\n");
        for (MetricsReport.Epoch e : epochs) {
            html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.2f%%</td>"
                            + "<td>%.4f</td><td>%.0f</td><td>%.1f</td><td>%.1f</td></tr>%n", e.epoch(), e.loss(),
                    e.evaluationLoss(), 100 * e.evaluationAccuracy(), e.evaluationF1Macro(), e.imagesPerSecond(),
                    e.trainSeconds(), e.elapsedSeconds()));
        }
        html.append("</table>\n<h2>Confusion matrix (test; rows actual, columns predicted)</h2>\n");
        img(html, confusionPng, "confusion matrix");
        html.append("<table><tr><th></th>");
        for (String c : classes) {
            html.append("<th>").append(esc(c)).append("</th>");
        }
        html.append("</tr>\n");
        for (int a = 0; a < classes.size(); a++) {
            html.append("<tr><th>").append(esc(classes.get(a))).append("</th>");
            for (int p = 0; p < classes.size(); p++) {
                html.append(a == p ? "<td class=\"d\">" : "<td>").append(confusion[a][p]).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        if (statsHtml != null) {
            html.append("<h2>Spark training statistics (DL4J)</h2>\n<iframe style=\"width:100%;height:900px;"
                    + "border:1px solid #ccc\" srcdoc=\"").append(esc(statsHtml)).append("\"></iframe>\n");
        }
        html.append("<h2>Resolved config</h2>\n<table>");
        Object config = metrics.get("config");
        if (config instanceof Map<?, ?> values) {
            values.forEach((k, v) -> row(html, String.valueOf(k), v == null ? "(unset)" : v));
        }
        html.append("</table>\n</body></html>\n");
        Path file = dir.resolve(HTML);
        AtomicFiles.write(file, tmp -> java.nio.file.Files.writeString(tmp, html, StandardCharsets.UTF_8));
        return file;
    }

    private static void row(StringBuilder html, String key, Object value) {
        html.append("<tr><td class=\"k\">").append(esc(key)).append("</td><td class=\"k\">").append(esc(value))
                .append("</td></tr>\n");
    }

    private static void img(StringBuilder html, byte[] png, String alt) {
        html.append("<p><img alt=\"").append(alt).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
    }

    static String esc(Object value) {
        return String.valueOf(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
