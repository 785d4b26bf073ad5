package org.sparkprop.job.train.internals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkprop.job.train.TrainerSettings;

/**
 * Internal: what trains the rounds of an epoch, one stretch at a time. A stretch is one round for DL4J's training
 * masters ({@link TrainingRounds}: a Spark job per round), and as many rounds as fit in the stage's time for the
 * barrier trainer ({@link BarrierRounds}: one Spark job per stretch). Between two stretches the driver holds the
 * averaged network.
 */
public interface RoundEngine {
    /**
     * The rounds one call trained.
     *
     * @param batches mini-batches consumed, from the start of what was given
     * @param losses  each round's loss (the replicas' mean loss on their last mini-batch), in order; training stops
     *                after the first that is not finite
     */
    record Stretch(int batches, double[] losses) {
    }

    /** The engine {@code settings.method()} names, training {@code network} in place. */
    static RoundEngine of(JavaSparkContext sc, NeuralNetwork network, TrainerSettings settings) {
        return settings.method() instanceof TrainerSettings.Allreduce allreduce
                ? new BarrierRounds(sc, network, settings, allreduce)
                : new TrainingRounds(sc, network, settings);
    }

    /** Trains one or more whole rounds from the start of {@code batches} (the rest of the epoch). */
    Stretch train(List<DataSet> batches, int epochIndex);

    /** As {@link #train}, for batch files that the workers load through {@code loader}. */
    Stretch trainFiles(List<String> files, DataSetLoader loader, int epochIndex);

    /** The averaged network: a {@code MultiLayerNetwork} or a {@code ComputationGraph}. */
    NeuralNetwork network();

    /** True when every parameter is a finite number. */
    default boolean parametersFinite() {
        return Double.isFinite(network().params().sumNumber().doubleValue());
    }

    /** Iterations (mini-batch updates per replica) so far. */
    long iteration();

    /** DL4J's Spark training statistics so far, or null when not collected (or not DL4J's). */
    SparkTrainingStats stats();

    /** The barrier stages trained so far and their parts (none for DL4J's training masters). */
    default List<org.sparkprop.job.train.StageTime> stageTimes() {
        return List.of();
    }
}
