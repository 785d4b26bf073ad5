package org.sparkprop.job.eval;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
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
        Evaluation evaluation = new Evaluation(classes, classes.size() > EvaluationResult.TOP5_ABOVE_CLASSES ? 5 : 1);
        double lossSum = 0;
        long examples = 0;
        for (DataSet batch : batches) {
            INDArray predicted;
            double loss;
            if (network instanceof MultiLayerNetwork mln) {
                predicted = mln.output(batch.getFeatures(), false);
                loss = mln.score(batch, false);
            } else if (network instanceof ComputationGraph graph) {
                predicted = graph.outputSingle(false, batch.getFeatures());
                loss = graph.score(batch, false);
            } else {
                throw new IllegalArgumentException("cannot evaluate a " + network.getClass().getName());
            }
            evaluation.eval(batch.getLabels(), predicted);
            lossSum += loss * batch.numExamples();
            examples += batch.numExamples();
        }
        return new EvaluationResult(evaluation, examples > 0 ? lossSum / examples : Double.NaN, classes);
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
