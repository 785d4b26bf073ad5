package org.sparkprop.job.eval;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Classification metrics of a network on held-out batches, computed on the driver with DL4J's Evaluation. */
public final class DriverEvaluator {
    private DriverEvaluator() {
    }

    public static Evaluation evaluate(MultiLayerNetwork network, List<DataSet> batches, int numClasses) {
        Evaluation evaluation = new Evaluation(numClasses);
        for (DataSet batch : batches) {
            INDArray predicted = network.output(batch.getFeatures(), false);
            evaluation.eval(batch.getLabels(), predicted);
        }
        return evaluation;
    }
}
