package org.sparkprop.job.eval;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Classification metrics of a network (layer stack or graph) on held-out batches, computed on the driver with DL4J's
 * Evaluation, in inference mode (no dropout, batch norm with its running statistics).
 */
public final class DriverEvaluator {
    private DriverEvaluator() {
    }

    public static Evaluation evaluate(NeuralNetwork network, List<DataSet> batches, int numClasses) {
        return evaluate(network, batches, defaultNames(numClasses)).evaluation();
    }

    /** Accuracy, macro P/R/F1, confusion matrix, top-5 (more than 10 classes) and mean loss. */
    public static EvaluationResult evaluate(NeuralNetwork network, List<DataSet> batches, List<String> classes) {
        EvaluationSums sums = new EvaluationSums(classes);
        for (DataSet batch : batches) {
            sums.add(network, batch);
        }
        return sums.result(classes);
    }

    /** "0", "1", ... for data without class names. */
    public static List<String> defaultNames(int numClasses) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
