package org.sparkprop.job.eval;

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
        Evaluation evaluation = new Evaluation(numClasses);
        for (DataSet batch : batches) {
            INDArray predicted;
            if (network instanceof MultiLayerNetwork mln) {
                predicted = mln.output(batch.getFeatures(), false);
            } else if (network instanceof ComputationGraph graph) {
                predicted = graph.outputSingle(false, batch.getFeatures());
            } else {
                throw new IllegalArgumentException("cannot evaluate a " + network.getClass().getName());
            }
            evaluation.eval(batch.getLabels(), predicted);
        }
        return evaluation;
    }
}
