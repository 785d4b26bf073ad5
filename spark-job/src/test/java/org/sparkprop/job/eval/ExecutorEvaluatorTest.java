package org.sparkprop.job.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.TestBatchFiles;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.job.data.ExecutorBatches;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.ModelOptions;

/** Evaluation on the executors must give the driver's figures, for batches sent from the driver and batch files. */
class ExecutorEvaluatorTest extends LocalSparkTestBase {
    private static final List<String> CLASSES = List.of("a", "b", "c", "d");

    @TempDir
    Path dir;

    /** 7 batches of 37 (the last one short), so the 2 partitions get unequal shares. */
    private static List<DataSet> batches() {
        return MiniBatcher.inOrder(SyntheticImages.make(250, 3), 37, org.sparkprop.data.normalize.Normalization.scale());
    }

    private static void assertSameFigures(EvaluationResult driver, EvaluationResult executors) {
        assertEquals(driver.examples(), executors.examples());
        assertEquals(driver.accuracy(), executors.accuracy());
        assertEquals(driver.f1(), executors.f1());
        assertEquals(driver.evaluation().precision(), executors.evaluation().precision());
        assertEquals(driver.evaluation().recall(), executors.evaluation().recall());
        assertArrayEquals(driver.confusion(), executors.confusion());
        assertEquals(driver.loss(), executors.loss(), 1e-12 * Math.abs(driver.loss()));
    }

    @Test
    void aLayerStackEvaluatedOnTheExecutorsGivesTheDriversFigures() throws IOException {
        MultiLayerNetwork network = NetworkBuilder.build(ModelCatalog.spec("lenet", ModelOptions.NONE),
                new InputShape(28, 28, 1), 4, Hyperparameters.defaults(7)).newMultiLayerNetwork();
        List<DataSet> batches = batches();

        EvaluationResult driver = DriverEvaluator.evaluate(network, batches, CLASSES);
        EvaluationResult executors = ExecutorEvaluator.evaluate(sc(), network,
                new ExecutorBatches.InMemory(batches), CLASSES);

        assertEquals(250, executors.examples());
        assertSameFigures(driver, executors);
    }

    @Test
    void aGraphEvaluatedFromBatchFilesOnTheExecutorsGivesTheDriversFigures() throws IOException {
        ModelSpec residual = new ModelSpec("tiny-residual", List.of(new LayerSpec.Conv(4, 3, 2, "same", "relu", true,
                null), new LayerSpec.Residual(4, 2, false), new LayerSpec.GlobalAvgPool(),
                new LayerSpec.Output(null, Loss.CATEGORICAL_CROSSENTROPY, null)), WeightInitSpec.XAVIER);
        NeuralNetwork network = NetworkBuilder.build(residual, new InputShape(28, 28, 1), 4,
                Hyperparameters.defaults(7)).newComputationGraph();
        List<DataSet> batches = batches();
        List<String> files = TestBatchFiles.write(batches, dir);

        EvaluationResult driver = DriverEvaluator.evaluate(network, batches, CLASSES);
        EvaluationResult executors = ExecutorEvaluator.evaluate(sc(), network,
                new ExecutorBatches.Files(files, TestBatchFiles.PLAIN),
                CLASSES);

        assertEquals(ComputationGraph.class, network.getClass());
        assertSameFigures(driver, executors);
    }
}
