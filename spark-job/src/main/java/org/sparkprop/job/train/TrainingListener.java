package org.sparkprop.job.train;

import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * Called on the driver while {@link SparkTrainer} trains: after every averaging round (progress, time-based
 * checkpoints) and after every epoch (evaluation, checkpoints, early stopping). Must not train the network.
 */
public interface TrainingListener {
    /** After each averaging round whose loss is finite. */
    default void onRound(EpochProgress progress, NeuralNetwork network) {
    }

    /**
     * After each epoch.
     *
     * @return false to stop training now (early stopping)
     */
    boolean onEpochEnd(EpochStats stats, NeuralNetwork network);

    /** A listener that only sees epoch ends and never stops training. */
    static TrainingListener of(EpochListener listener) {
        return (stats, network) -> {
            listener.onEpochEnd(stats, network);
            return true;
        };
    }
}
