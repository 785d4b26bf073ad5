package org.sparkprop.job.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * A network's classification figures on one data part: DL4J's {@link Evaluation} (accuracy, macro precision /
 * recall / F1, confusion matrix, top-5 when there are more than 10 classes) plus the mean loss.
 *
 * @param evaluation DL4J's evaluation
 * @param loss       mean loss per example, regularization included (the same loss training reports)
 * @param classes    class names in index order
 */
public record EvaluationResult(Evaluation evaluation, double loss, List<String> classes) {
    /** Classes above which top-5 accuracy is reported. */
    public static final int TOP5_ABOVE_CLASSES = 10;

    public double accuracy() {
        return evaluation.accuracy();
    }

    public double f1() {
        return evaluation.f1();
    }

    public int examples() {
        return evaluation.getNumRowCounter();
    }

    /** Top-5 accuracy, or null with 10 classes or fewer. */
    public Double top5Accuracy() {
        return classes.size() > TOP5_ABOVE_CLASSES ? evaluation.topNAccuracy() : null;
    }

    /** The confusion matrix: row = actual class, column = predicted class. */
    public int[][] confusion() {
        int n = classes.size();
        int[][] counts = new int[n][n];
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                counts[actual][predicted] = evaluation.getConfusion().getCount(actual, predicted);
            }
        }
        return counts;
    }

    /** The value early stopping watches: accuracy, f1 or loss. */
    public double metric(String name) {
        return switch (name) {
            case "accuracy" -> accuracy();
            case "f1" -> f1();
            case "loss" -> loss;
            default -> throw new IllegalArgumentException("unknown metric " + name);
        };
    }

    /** The figures as metrics.json writes them (snake_case keys). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy());
        out.put("precision_macro", evaluation.precision());
        out.put("recall_macro", evaluation.recall());
        out.put("f1_macro", f1());
        if (top5Accuracy() != null) {
            out.put("top5_accuracy", top5Accuracy());
        }
        out.put("loss", loss);
        out.put("examples", examples());
        out.put("classes", classes);
        out.put("confusion_matrix", confusion());
        return out;
    }
}
