package org.sparkprop.job.train;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.train.internals.AveragingRounds;

/**
 * Data-parallel training on Spark by parameter averaging: each round, every worker trains its own replica on
 * {@code averagingFrequency} mini-batches, then the driver averages parameters (and optimizer state) and starts the
 * next round from the average. One call of {@link #fit} trains from fresh weights for a number of epochs.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final TrainerSettings settings;

    public SparkTrainer(JavaSparkContext sc, TrainerSettings settings) {
        this.sc = sc;
        this.settings = settings;
    }

    /**
     * Trains a network of configuration {@code conf} for {@code epochs} epochs and returns it.
     *
     * @throws TrainingDivergedException as soon as a round's loss is NaN or infinite
     */
    public MultiLayerNetwork fit(MultiLayerConfiguration conf, EpochBatches data, int epochs, EpochListener listener) {
        return (MultiLayerNetwork) fit(new AveragingRounds(sc, conf, settings), data, epochs, listener);
    }

    /** As {@link #fit(MultiLayerConfiguration, EpochBatches, int, EpochListener)}, for a graph (e.g. a ResNet). */
    public ComputationGraph fit(ComputationGraphConfiguration conf, EpochBatches data, int epochs,
                                EpochListener listener) {
        return (ComputationGraph) fit(new AveragingRounds(sc, conf, settings), data, epochs, listener);
    }

    private NeuralNetwork fit(AveragingRounds rounds, EpochBatches data, int epochs, EpochListener listener) {
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<DataSet> batches = data.forEpoch(epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            int roundCount = 0;
            long examples = 0;
            for (int from = 0; from < batches.size(); from += settings.batchesPerRound()) {
                List<DataSet> round = batches.subList(from, Math.min(batches.size(), from + settings.batchesPerRound()));
                double loss = rounds.train(round, epoch - 1);
                roundCount++;
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, roundCount, rounds.iteration(), loss);
                }
                lossSum += loss;
                for (DataSet batch : round) {
                    examples += batch.numExamples();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            listener.onEpochEnd(new EpochStats(epoch, lossSum / Math.max(1, roundCount), examples, seconds, roundCount),
                    rounds.network());
        }
        return rounds.network();
    }
}
