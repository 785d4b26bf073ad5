package org.sparkprop.job.train.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.data.batch.MiniBatcher;
import org.sparkprop.data.idx.LabeledImages;
import org.sparkprop.job.LocalSparkTestBase;
import org.sparkprop.job.SyntheticImages;
import org.sparkprop.job.TestBatchFiles;
import org.sparkprop.job.eval.DriverEvaluator;
import org.sparkprop.job.train.EpochProgress;
import org.sparkprop.job.train.EpochStats;
import org.sparkprop.job.train.SparkTrainer;
import org.sparkprop.job.train.TrainerSettings;
import org.sparkprop.job.train.TrainingDivergedException;
import org.sparkprop.job.train.TrainingListener;
import org.sparkprop.job.train.TrainingSource;
import org.sparkprop.model.InputShape;
import org.sparkprop.model.ModelCatalog;
import org.sparkprop.model.build.NetworkBuilder;
import org.sparkprop.model.hyper.Hyperparameters;
import org.sparkprop.model.hyper.Loss;
import org.sparkprop.model.hyper.OptimizerSpec;
import org.sparkprop.model.hyper.RegularizationSpec;
import org.sparkprop.model.hyper.WeightInitSpec;
import org.sparkprop.model.spec.LayerSpec;
import org.sparkprop.model.spec.ModelSpec;
import org.sparkprop.model.zoo.ModelOptions;

/**
 * The allreduce trainer against DL4J's averaging master (DL4J's TestCompareParameterAveragingSparkVsSingleMachine,
 * for this trainer): the same parameters and optimizer state from the same seed and data, whatever the stage
 * boundaries and a failed stage.
 */
class BarrierRoundsTest extends LocalSparkTestBase {
    private static final LabeledImages TRAIN = SyntheticImages.make(480, 1);
    private static final LabeledImages HELD_OUT = SyntheticImages.make(256, 2);
    private static final TrainerSettings.Allreduce ALLREDUCE = new TrainerSettings.Allreduce(60, 30, 2);

    @TempDir
    Path dir;

    private static MultiLayerConfiguration lenet(OptimizerSpec optimizer) {
        return NetworkBuilder.build(ModelCatalog.spec("lenet", ModelOptions.NONE), new InputShape(28, 28, 1),
                SyntheticImages.CLASSES, new Hyperparameters(5, optimizer, new RegularizationSpec(0, 1e-4, 0))).layers();
    }

    private static ComputationGraphConfiguration tinyResnet() {
        ModelSpec spec = new ModelSpec("tiny-resnet", List.of(
                new LayerSpec.Conv(4, 3, 2, "same", "relu", true, null),
                new LayerSpec.Residual(4, 1, false), new LayerSpec.Flatten(),
                new LayerSpec.Output(null, Loss.CATEGORICAL_CROSSENTROPY, null)), WeightInitSpec.HE);
        return NetworkBuilder.build(spec, new InputShape(28, 28, 1), SyntheticImages.CLASSES,
                new Hyperparameters(5, OptimizerSpec.of("adam", 0.01), RegularizationSpec.NONE)).graph();
    }

    private static TrainerSettings settings(TrainerSettings.Method method, boolean saveUpdater) {
        return new TrainerSettings(2, 16, 2, 2, saveUpdater, 5, method, false);
    }

    /** 30 batches of 16 a epoch: 7 rounds of 2 workers x 2 batches, then a short round of 2 (one batch each). */
    private static List<DataSet> epoch(int epoch) {
        return MiniBatcher.shuffled(TRAIN, 16, 5, epoch);
    }

    private static MultiLayerNetwork fresh(MultiLayerConfiguration conf) {
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        return network;
    }

    private static List<EpochStats> fit(NeuralNetwork network, TrainerSettings settings, int epochs) {
        List<EpochStats> seen = new ArrayList<>();
        new SparkTrainer(sc(), settings).fit(network, new TrainingSource.InMemory(BarrierRoundsTest::epoch), epochs,
                EpochProgress.startOf(1), TrainingListener.of((stats, net) -> seen.add(stats)));
        return seen;
    }

    /** Trains one epoch of held batches on {@code engine} a stretch at a time; returns the round losses. */
    private static List<Double> epochOn(BarrierRounds engine, List<DataSet> batches) {
        return epochOf(batches.size(), from -> engine.train(batches.subList(from, batches.size()), 0));
    }

    /**
     * Trains an epoch of {@code batches} a stretch at a time, as SparkTrainer does ({@code stretchFrom}: train from
     * that batch on); returns the round losses.
     */
    private static List<Double> epochOf(int batches, java.util.function.IntFunction<RoundEngine.Stretch> stretchFrom) {
        List<Double> losses = new ArrayList<>();
        for (int from = 0; from < batches; ) {
            RoundEngine.Stretch stretch = stretchFrom.apply(from);
            for (double loss : stretch.losses()) {
                losses.add(loss);
            }
            from += stretch.batches();
        }
        return losses;
    }

    private static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / Math.max(1e-12, b.norm2Number().doubleValue());
    }

    @Test
    void withNesterovAndKeptOptimizerStateItComputesDl4jAveragingsParametersAndStateWithinFloatRounding() {
        MultiLayerConfiguration conf = lenet(OptimizerSpec.of("nesterov", 0.02));
        MultiLayerNetwork dl4j = fresh(conf);
        MultiLayerNetwork ours = fresh(conf);

        List<EpochStats> dl4jEpochs = fit(dl4j, settings(TrainerSettings.Averaging.DEFAULT, true), 2);
        List<EpochStats> ourEpochs = fit(ours, settings(ALLREDUCE, true), 2);

        INDArray start = fresh(conf).params();
        assertTrue(dl4j.params().sub(start).norm2Number().doubleValue() > 1e-1, "training did not move the parameters");
        assertTrue(relativeDifference(ours.params(), dl4j.params()) < 1e-5,
                "parameters differ by " + relativeDifference(ours.params(), dl4j.params()));
        assertTrue(relativeDifference(ours.getUpdater().getStateViewArray(), dl4j.getUpdater().getStateViewArray())
                < 1e-5, "optimizer state differs");
        assertEquals(dl4j.getLayerWiseConfigurations().getIterationCount(),
                ours.getLayerWiseConfigurations().getIterationCount());
        assertEquals(2 * 8 * 2, ours.getLayerWiseConfigurations().getIterationCount()); // 8 rounds of 2 steps
        for (int e = 0; e < 2; e++) {
            assertEquals(dl4jEpochs.get(e).rounds(), ourEpochs.get(e).rounds());
            assertEquals(dl4jEpochs.get(e).examples(), ourEpochs.get(e).examples());
            assertEquals(dl4jEpochs.get(e).meanLoss(), ourEpochs.get(e).meanLoss(), 1e-5);
        }
        double accuracy = DriverEvaluator.evaluate(ours, MiniBatcher.inOrder(HELD_OUT, 64), SyntheticImages.CLASSES)
                .accuracy();
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy + " (chance is 0.25)");
    }

    @Test
    void withoutKeptOptimizerStateEveryRoundStartsANewOneAsDl4jsWorkersDo() {
        MultiLayerConfiguration conf = lenet(OptimizerSpec.of("nesterov", 0.02));
        MultiLayerNetwork dl4j = fresh(conf);
        MultiLayerNetwork ours = fresh(conf);

        fit(dl4j, settings(TrainerSettings.Averaging.DEFAULT, false), 1);
        fit(ours, settings(ALLREDUCE, false), 1);

        assertTrue(relativeDifference(ours.params(), dl4j.params()) < 1e-5,
                "parameters differ by " + relativeDifference(ours.params(), dl4j.params()));
    }

    @Test
    void stageBoundariesAndAFailedStageRunAgainChangeNoBit() {
        MultiLayerConfiguration conf = lenet(OptimizerSpec.of("adam", 0.005));
        List<DataSet> batches = epoch(1);
        TrainerSettings settings = settings(ALLREDUCE, true);

        BarrierRounds oneStage = new BarrierRounds(sc(), fresh(conf), settings, ALLREDUCE);
        List<Double> oneStageLosses = epochOn(oneStage, batches);
        BarrierRounds again = new BarrierRounds(sc(), fresh(conf), settings, ALLREDUCE);
        List<Double> againLosses = epochOn(again, batches);
        BarrierRounds threeRoundStages = new BarrierRounds(sc(), fresh(conf), settings, ALLREDUCE);
        threeRoundStages.holdAtMost(3);
        List<Double> stagedLosses = epochOn(threeRoundStages, batches);
        BarrierRounds failing = new BarrierRounds(sc(), fresh(conf), settings, ALLREDUCE);
        failing.failOnce(1, 5);
        List<Double> failedLosses = epochOn(failing, batches);

        assertEquals(8, oneStageLosses.size());
        for (BarrierRounds other : List.of(again, threeRoundStages, failing)) {
            assertEquals(oneStage.network().params(), other.network().params());
            assertEquals(((MultiLayerNetwork) oneStage.network()).getUpdater().getStateViewArray(),
                    ((MultiLayerNetwork) other.network()).getUpdater().getStateViewArray());
            assertEquals(oneStage.iteration(), other.iteration());
        }
        assertEquals(oneStageLosses, againLosses);
        assertEquals(oneStageLosses, stagedLosses);
        assertEquals(oneStageLosses, failedLosses);
        assertEquals(0, oneStage.attemptsFailed());
        assertEquals(1, failing.attemptsFailed());
    }

    @Test
    void aStageThatFailsEveryAttemptEndsTheRunSayingHowOftenAndWhyAndLeavesTheLastAveragedNetwork() {
        TrainerSettings.Allreduce once = new TrainerSettings.Allreduce(60, 30, 1);
        BarrierRounds failing = new BarrierRounds(sc(), fresh(lenet(OptimizerSpec.of("sgd", 0.05))),
                settings(once, true), once);
        INDArray before = failing.network().params().dup();
        failing.failAlways(0, 0);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.train(epoch(1), 0));

        assertTrue(e.getMessage().startsWith("The allreduce training stage failed 2 times in a row"
                + " (spark.allreduce.retries = 1); the network is the last averaged one. Last error: Job aborted due to"
                + " stage failure: "), e.getMessage());
        assertTrue(e.getMessage().contains("injected failure of rank 0 in round 0"), e.getMessage());
        assertEquals(2, failing.attemptsFailed());
        assertEquals(before, failing.network().params());
    }

    @Test
    void batchFilesLoadedByTheTasksTrainAsTheSameHeldBatchesDo() throws Exception {
        MultiLayerConfiguration conf = lenet(OptimizerSpec.of("nesterov", 0.02));
        List<DataSet> batches = epoch(1);
        List<String> files = TestBatchFiles.write(batches, dir);
        BarrierRounds held = new BarrierRounds(sc(), fresh(conf), settings(ALLREDUCE, true), ALLREDUCE);
        List<Double> heldLosses = epochOn(held, batches);
        BarrierRounds loaded = new BarrierRounds(sc(), fresh(conf), settings(ALLREDUCE, true), ALLREDUCE);
        List<Double> loadedLosses = epochOf(files.size(),
                from -> loaded.trainFiles(files.subList(from, files.size()), TestBatchFiles.PLAIN, 0));

        assertEquals(held.network().params(), loaded.network().params());
        assertEquals(heldLosses, loadedLosses);
    }

    @Test
    void aResidualGraphWithAdamComputesParameterAveragingWithTheCountersAdvancing() {
        ComputationGraphConfiguration conf = tinyResnet();
        List<DataSet> batches = epoch(1).subList(0, 14); // 3 rounds of 2 x 2, then one of 2 x 1
        ComputationGraph ours = new ComputationGraph(conf.clone());
        ours.init();

        new SparkTrainer(sc(), settings(ALLREDUCE, true)).fit(ours, new TrainingSource.InMemory(e -> batches), 1,
                EpochProgress.startOf(1), TrainingListener.of((stats, net) -> { }));

        // by hand: each round, each worker a new replica at the round's iteration, then the mean of both
        ComputationGraph start = new ComputationGraph(conf.clone());
        start.init();
        INDArray params = start.params().dup();
        INDArray state = null;
        List<List<List<DataSet>>> split = RankShare.split(batches, 2, 2, 4);
        for (int round = 0; round < 4; round++) {
            INDArray paramSum = null;
            INDArray stateSum = null;
            for (int worker = 0; worker < 2; worker++) {
                ComputationGraphConfiguration c = conf.clone();
                c.setIterationCount(round * 2);
                ComputationGraph replica = new ComputationGraph(c);
                replica.init(params.dup(), false);
                if (state != null) {
                    replica.setUpdater(new ComputationGraphUpdater(replica, state.dup()));
                }
                split.get(worker).get(round).forEach(replica::fit);
                paramSum = paramSum == null ? replica.params().dup() : paramSum.addi(replica.params());
                INDArray s = replica.getUpdater().getStateViewArray();
                stateSum = stateSum == null ? s.dup() : stateSum.addi(s);
            }
            params = paramSum.divi(2);
            state = stateSum.divi(2);
        }

        assertTrue(relativeDifference(ours.params(), params) < 1e-5,
                "parameters differ by " + relativeDifference(ours.params(), params));
        assertTrue(relativeDifference(ours.getUpdater().getStateViewArray(), state) < 1e-5, "optimizer state differs");
        assertEquals(8, ours.getConfiguration().getIterationCount());
    }

    @Test
    void dl4jsGraphConfigurationCloneDropsTheCountersSoItsAveragingWorkersTrainGraphsAtIterationZero() {
        // why the graph test above is not against DL4J's averaging master: its workers build each round's replica
        // from a clone of the broadcast configuration, and a graph configuration's clone resets both counters
        // (a layer stack's keeps them): Adam's bias correction and iteration or epoch schedules stand still
        ComputationGraphConfiguration graph = tinyResnet();
        graph.setIterationCount(7);
        graph.setEpochCount(3);
        MultiLayerConfiguration layers = lenet(OptimizerSpec.of("adam", 0.01));
        layers.setIterationCount(7);
        layers.setEpochCount(3);

        assertEquals(List.of(0, 0), List.of(graph.clone().getIterationCount(), graph.clone().getEpochCount()));
        assertEquals(List.of(7, 3), List.of(layers.clone().getIterationCount(), layers.clone().getEpochCount()));
    }

    @Test
    void aDivergingRunStopsInItsFirstRoundAndSaysWhere() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> fit(fresh(lenet(OptimizerSpec.of("sgd", 1e9))), settings(ALLREDUCE, true), 3));

        assertEquals(1, e.epoch());
        assertTrue(e.iteration() <= 4, e.getMessage());
        assertTrue(e.getMessage().startsWith("Training diverged in epoch 1, averaging round "), e.getMessage());
    }
}
