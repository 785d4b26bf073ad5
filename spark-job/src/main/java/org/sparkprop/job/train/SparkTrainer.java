package org.sparkprop.job.train;

import java.util.List;
import java.util.function.IntFunction;
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
        return (MultiLayerNetwork) fit(new AveragingRounds(sc, conf, settings), inMemory(data), epochs, listener);
    }

    /** As {@link #fit(MultiLayerConfiguration, EpochBatches, int, EpochListener)}, for a graph (e.g. a ResNet). */
    public ComputationGraph fit(ComputationGraphConfiguration conf, EpochBatches data, int epochs,
                                EpochListener listener) {
        return (ComputationGraph) fit(new AveragingRounds(sc, conf, settings), inMemory(data), epochs, listener);
    }

    /** As {@link #fit(MultiLayerConfiguration, EpochBatches, int, EpochListener)}, from batch files. */
    public MultiLayerNetwork fitFiles(MultiLayerConfiguration conf, EpochBatchFiles data, int epochs,
                                      EpochListener listener) {
        return (MultiLayerNetwork) fit(new AveragingRounds(sc, conf, settings), fromFiles(data), epochs, listener);
    }

    /** As {@link #fit(ComputationGraphConfiguration, EpochBatches, int, EpochListener)}, from batch files. */
    public ComputationGraph fitFiles(ComputationGraphConfiguration conf, EpochBatchFiles data, int epochs,
                                     EpochListener listener) {
        return (ComputationGraph) fit(new AveragingRounds(sc, conf, settings), fromFiles(data), epochs, listener);
    }

    /** One epoch's work: how many batches, how many examples in a range of them, and how to train a round. */
    private interface EpochPlan {
        int batches();

        long examples(int from, int to);

        double train(AveragingRounds rounds, int from, int to, int epochIndex);
    }

    private static IntFunction<EpochPlan> inMemory(EpochBatches data) {
        return epoch -> {
            List<DataSet> batches = data.forEpoch(epoch);
            return new EpochPlan() {
                public int batches() {
                    return batches.size();
                }

                public long examples(int from, int to) {
                    long n = 0;
                    for (DataSet batch : batches.subList(from, to)) {
                        n += batch.numExamples();
                    }
                    return n;
                }

                public double train(AveragingRounds rounds, int from, int to, int epochIndex) {
                    return rounds.train(batches.subList(from, to), epochIndex);
                }
            };
        };
    }

    private static IntFunction<EpochPlan> fromFiles(EpochBatchFiles data) {
        return epoch -> {
            EpochBatchFiles.Epoch files = data.forEpoch(epoch);
            return new EpochPlan() {
                public int batches() {
                    return files.files().size();
                }

                public long examples(int from, int to) {
                    return files.examples().subList(from, to).stream().mapToLong(Integer::longValue).sum();
                }

                public double train(AveragingRounds rounds, int from, int to, int epochIndex) {
                    return rounds.trainFiles(files.files().subList(from, to), files.loader(), epochIndex);
                }
            };
        };
    }

    private NeuralNetwork fit(AveragingRounds rounds, IntFunction<EpochPlan> data, int epochs,
                              EpochListener listener) {
        for (int epoch = 1; epoch <= epochs; epoch++) {
            EpochPlan plan = data.apply(epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            int roundCount = 0;
            long examples = 0;
            for (int from = 0; from < plan.batches(); from += settings.batchesPerRound()) {
                int to = Math.min(plan.batches(), from + settings.batchesPerRound());
                double loss = plan.train(rounds, from, to, epoch - 1);
                roundCount++;
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, roundCount, rounds.iteration(), loss);
                }
                lossSum += loss;
                examples += plan.examples(from, to);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            listener.onEpochEnd(new EpochStats(epoch, lossSum / Math.max(1, roundCount), examples, seconds, roundCount),
                    rounds.network());
        }
        return rounds.network();
    }
}
