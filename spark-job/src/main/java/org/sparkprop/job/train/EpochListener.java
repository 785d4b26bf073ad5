package org.sparkprop.job.train;

import org.deeplearning4j.nn.api.NeuralNetwork;

/** Called on the driver after each epoch with the averaged network; may evaluate it, but must not train it. */
@FunctionalInterface
public interface EpochListener {
    void onEpochEnd(EpochStats stats, NeuralNetwork network);
}
