package org.sparkprop.job.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.zoo.ModelOptions;

/** Evaluation scores a batch with one forward pass, and its loss is the one DL4J's second pass gives. */
class EvaluationSumsTest {
    private static final List<String> CLASSES = List.of("a", "b", "c", "d");

    @Test
    void theLossFromThePredictionsIsDl4jsScoreWithItsRegularizationTermAndNoSecondForwardPass() {
        MultiLayerNetwork lenet = NetworkBuilder.build(ModelCatalog.spec("lenet", ModelOptions.NONE),
                new InputShape(28, 28, 1), SyntheticImages.CLASSES, new Hyperparameters(5,
                        OptimizerSpec.of("nesterov", 0.01), new RegularizationSpec(0, 5e-4, 0))).newMultiLayerNetwork();
        List<DataSet> batches = MiniBatcher.inOrder(SyntheticImages.make(96, 3), 32);
        lenet.fit(batches.get(0)); // parameters away from their initialization

        EvaluationSums sums = new EvaluationSums(CLASSES);
        double twoPass = 0;
        for (DataSet batch : batches) {
            sums.add(lenet, batch);
            twoPass += lenet.score(batch, false) * batch.numExamples();
        }

        double onePass = sums.result(CLASSES).loss();
        assertEquals(twoPass / 96, onePass, 1e-6 * Math.abs(twoPass / 96), "one-pass " + onePass);
        assertEquals(true, lenet.calcRegularizationScore(true) > 0, "the L2 term is part of both");
    }

    @Test
    void aResidualGraphsLossFromThePredictionsIsItsScoreToo() {
        org.sparkprop.model.spec.ModelSpec spec = new org.sparkprop.model.spec.ModelSpec("tiny-resnet", List.of(
                new org.sparkprop.model.spec.LayerSpec.Conv(4, 3, 2, "same", "relu", true, null),
                new org.sparkprop.model.spec.LayerSpec.Residual(4, 1, false),
                new org.sparkprop.model.spec.LayerSpec.Flatten(),
                new org.sparkprop.model.spec.LayerSpec.Output(null,
                        org.sparkprop.model.hyper.Loss.CATEGORICAL_CROSSENTROPY, null)),
                org.sparkprop.model.hyper.WeightInitSpec.HE);
        org.deeplearning4j.nn.graph.ComputationGraph graph = NetworkBuilder.build(spec, new InputShape(28, 28, 1),
                SyntheticImages.CLASSES, new Hyperparameters(5, OptimizerSpec.of("adam", 0.01),
                        new RegularizationSpec(0, 1e-3, 0))).newComputationGraph();
        List<DataSet> batches = MiniBatcher.inOrder(SyntheticImages.make(64, 4), 32);
        graph.fit(batches.get(0));

        EvaluationSums sums = new EvaluationSums(CLASSES);
        double twoPass = 0;
        for (DataSet batch : batches) {
            sums.add(graph, batch);
            twoPass += graph.score(batch, false) * batch.numExamples();
        }

        assertEquals(twoPass / 64, sums.result(CLASSES).loss(), 1e-6 * Math.abs(twoPass / 64));
    }
}
