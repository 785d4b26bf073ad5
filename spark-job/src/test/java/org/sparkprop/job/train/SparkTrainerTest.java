package org.sparkprop.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.output.ModelStore;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.hyper.ScheduleSpec;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.build.NetworkDefinition;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.sparkprop.model.zoo.ModelOptions;

class SparkTrainerTest extends LocalSparkTestBase {
    private static final LabeledImages TRAIN = SyntheticImages.make(512, 1);
    private static final LabeledImages HELD_OUT = SyntheticImages.make(256, 2);

    @TempDir
    Path dir;

    private static MultiLayerConfiguration lenet(OptimizerSpec optimizer) {
        return NetworkBuilder.build(ModelCatalog.spec("lenet", ModelOptions.NONE), new InputShape(28, 28, 1),
                SyntheticImages.CLASSES, new Hyperparameters(5, optimizer, new RegularizationSpec(0, 1e-4, 0))).layers();
    }

    private static MultiLayerNetwork train(OptimizerSpec optimizer, int epochs, List<EpochStats> seen) {
        SparkTrainer trainer = new SparkTrainer(sc(), new TrainerSettings(2, 16, 2, 2, true, 5));
        return trainer.fit(lenet(optimizer), epoch -> MiniBatcher.shuffled(TRAIN, 16, 5, epoch), epochs,
                (stats, network) -> seen.add(stats));
    }

    @Test
    void parameterAveragingOnTwoWorkersLearnsASeparableTaskFarAboveChance() {
        List<EpochStats> epochs = new ArrayList<>();

        MultiLayerNetwork network = train(OptimizerSpec.of("nesterov", 0.01), 3, epochs);

        double accuracy = DriverEvaluator.evaluate(network, MiniBatcher.inOrder(HELD_OUT, 64),
                SyntheticImages.CLASSES).accuracy();
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance is 0.25)");
        assertEquals(3, epochs.size());
        for (EpochStats stats : epochs) {
            assertEquals(512, stats.examples());
            assertEquals(8, stats.rounds()); // 32 batches of 16; a round takes 2 workers x 2 batches
            assertTrue(Double.isFinite(stats.meanLoss()));
        }
        assertTrue(epochs.get(2).meanLoss() < epochs.get(0).meanLoss(), "loss did not fall: " + epochs);
    }

    @Test
    void withStatisticsOnEveryRoundYieldsTheDriversAndEachWorkersTimedParts() {
        SparkTrainer trainer = new SparkTrainer(sc(), new TrainerSettings(2, 16, 2, 0, true, 5,
                TrainerSettings.Averaging.DEFAULT, true));
        trainer.fit(lenet(OptimizerSpec.of("nesterov", 0.01)), epoch -> MiniBatcher.shuffled(TRAIN, 16, 5, epoch)
                .subList(0, 8), 1, (stats, network) -> { });

        java.util.Map<String, List<StatEvent>> byKey = new java.util.TreeMap<>();
        trainer.statEvents().forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        assertTrue(byKey.keySet().containsAll(List.of("ParameterAveragingMasterAggregateTimesMs",
                "ParameterAveragingMasterBroadcastCreateTimesMs", "ParameterAveragingWorkerFitTimesMs",
                "ParameterAveragingWorkerInitTimeMs")), "keys: " + byKey.keySet());
        assertTrue(byKey.get("ParameterAveragingMasterAggregateTimesMs").size() >= 1, "the last round's Spark job");
        assertTrue(byKey.get("ParameterAveragingWorkerFitTimesMs").stream().allMatch(e -> e.durationMs() >= 0
                && e.startMs() > 0), "" + byKey.get("ParameterAveragingWorkerFitTimesMs"));
    }

    @Test
    void theTrainedModelRoundTripsThroughModelZipWithIdenticalOutputs() throws Exception {
        MultiLayerNetwork network = train(OptimizerSpec.of("nesterov", 0.01), 1, new ArrayList<>());
        Path file = dir.resolve("model.zip");

        ModelStore.save(network, file);
        MultiLayerNetwork restored = ModelStore.load(file);

        DataSet batch = MiniBatcher.inOrder(HELD_OUT, 64).get(0);
        INDArray expected = network.output(batch.getFeatures(), false);
        assertEquals(expected, restored.output(batch.getFeatures(), false));
        assertEquals(network.params(), restored.params());
        assertEquals(network.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @Test
    void withPlainSgdAndAveragingEveryStepSparkParametersEqualSingleMachineTrainingOnTheUnionBatches() {
        // DL4J's TestCompareParameterAveragingSparkVsSingleMachine, through this project's trainer: each round both
        // workers take one SGD step of 8 examples from the same parameters; their average is one step on all 16.
        List<DataSet> batches = MiniBatcher.inOrder(TRAIN.head(64), 8);
        MultiLayerConfiguration conf = lenet(OptimizerSpec.of("sgd", 0.05));
        SparkTrainer trainer = new SparkTrainer(sc(), new TrainerSettings(2, 8, 1, 0, true, 5));

        MultiLayerNetwork spark = trainer.fit(conf, epoch -> batches, 1, (stats, network) -> { });

        MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
        local.init();
        INDArray initial = local.params().dup();
        for (int i = 0; i < batches.size(); i += 2) {
            local.fit(DataSet.merge(List.of(batches.get(i), batches.get(i + 1))));
        }
        double moved = local.params().sub(initial).norm2Number().doubleValue();
        double difference = spark.params().sub(local.params()).norm2Number().doubleValue();
        assertTrue(moved > 1e-2, "training did not move the parameters: " + moved);
        assertTrue(difference < 1e-4 * moved, "Spark differs from single-machine by " + difference
                + " (parameters moved " + moved + ")");
    }

    @Test
    void anEpochScheduleReachesTheWorkersAtTheStartOfEachEpoch() {
        // step schedule: x1e-6 after epoch 1, so epoch 2 barely moves the parameters; without the epoch reaching the
        // workers' broadcast configuration, epoch 2 would train at the full rate
        List<INDArray> afterEpoch = new ArrayList<>();
        for (String schedule : List.of("step", "constant")) {
            OptimizerSpec sgd = OptimizerSpec.of("sgd", 0.05)
                    .withSchedule(new ScheduleSpec(schedule, "epoch", 1e-6, 1, 1, 0, 1, 0));
            SparkTrainer trainer = new SparkTrainer(sc(), new TrainerSettings(2, 16, 2, 0, true, 5));
            trainer.fit(lenet(sgd), epoch -> MiniBatcher.shuffled(TRAIN.head(128), 16, 5, epoch), 2,
                    (stats, network) -> afterEpoch.add(network.params().dup()));
        }
        double decayed = afterEpoch.get(1).sub(afterEpoch.get(0)).norm2Number().doubleValue();
        double constant = afterEpoch.get(3).sub(afterEpoch.get(2)).norm2Number().doubleValue();
        assertTrue(constant > 1e-2, "constant rate moved only " + constant);
        assertTrue(decayed < 1e-5 * constant, "decayed epoch moved " + decayed + " vs " + constant);
    }

    @Test
    void aResidualGraphTrainsOnSparkAndRoundTripsThroughModelZip() throws Exception {
        ModelSpec spec = new ModelSpec("tiny-resnet", List.of(
                new LayerSpec.Conv(4, 3, 2, "same", "relu", true, null),
                new LayerSpec.Residual(4, 1, false), new LayerSpec.Residual(8, 2, false),
                new LayerSpec.Flatten(), new LayerSpec.Output(null, Loss.CATEGORICAL_CROSSENTROPY, null)),
                WeightInitSpec.HE);
        NetworkDefinition def = NetworkBuilder.build(spec, new InputShape(28, 28, 1), SyntheticImages.CLASSES,
                new Hyperparameters(5, OptimizerSpec.of("adam", 0.01), RegularizationSpec.NONE));
        SparkTrainer trainer = new SparkTrainer(sc(), new TrainerSettings(2, 16, 2, 2, true, 5));
        List<EpochStats> epochs = new ArrayList<>();

        ComputationGraph graph = trainer.fit(def.graph(), epoch -> MiniBatcher.shuffled(TRAIN, 16, 5, epoch), 2,
                (stats, network) -> epochs.add(stats));

        double accuracy = DriverEvaluator.evaluate(graph, MiniBatcher.inOrder(HELD_OUT, 64),
                SyntheticImages.CLASSES).accuracy();
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance is 0.25)");
        assertEquals(2, epochs.size());
        Path file = dir.resolve("graph.zip");
        ModelStore.save(graph, file);
        ComputationGraph restored = ModelStore.loadGraph(file);
        INDArray features = MiniBatcher.inOrder(HELD_OUT, 64).get(0).getFeatures();
        assertEquals(graph.outputSingle(false, features), restored.outputSingle(false, features));
    }

    @Test
    void aDivergingRunStopsInItsFirstEpochAndSaysWhere() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(OptimizerSpec.of("sgd", 1e9), 3, new ArrayList<>()));

        assertEquals(1, e.epoch());
        assertEquals(1, e.iteration() / 2, e.getMessage()); // stopped in the first round (2 batches per worker)
        assertTrue(e.getMessage().startsWith("Training diverged in epoch 1, averaging round 1 (iteration 2): the loss"
                + " is "), e.getMessage());
        assertTrue(e.getMessage().endsWith("No checkpoint was written before it; nothing was saved. Lower"
                + " optimizer.learning-rate (e.g. 10x), add optimizer.warmup-iterations, or check the input scaling"
                + " (data.normalization), then train again with --overwrite."), e.getMessage());
    }

    @Test
    void gradientSharingOnTwoWorkersAlsoLearnsTheTask() {
        TrainerSettings shared = new TrainerSettings(2, 16, 4, 2, true, 5,
                new TrainerSettings.SharedGradients(1e-3, 40_321, "127.0.0.1", null), false);
        SparkTrainer trainer = new SparkTrainer(sc(), shared);
        MultiLayerNetwork network = new MultiLayerNetwork(lenet(OptimizerSpec.of("nesterov", 0.01)));
        network.init();

        List<EpochStats> epochs = new ArrayList<>();
        trainer.fit(network, new TrainingSource.InMemory(epoch -> MiniBatcher.shuffled(TRAIN, 16, 5, epoch)), 2,
                EpochProgress.startOf(1),
                TrainingListener.of((stats, net) -> epochs.add(stats)));

        double accuracy = DriverEvaluator.evaluate(network, MiniBatcher.inOrder(HELD_OUT, 64),
                SyntheticImages.CLASSES).accuracy();
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance is 0.25)");
        for (EpochStats stats : epochs) { // DL4J's shared master reports no score: 0.0000 before
            assertTrue(stats.meanLoss() > 0 && Double.isFinite(stats.meanLoss()), "epoch loss " + stats.meanLoss());
        }
        assertTrue(epochs.get(1).meanLoss() < epochs.get(0).meanLoss() * 1.5, "" + epochs);
    }
}
