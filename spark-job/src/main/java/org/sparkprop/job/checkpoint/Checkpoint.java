package org.sparkprop.job.checkpoint;

import org.deeplearning4j.nn.api.NeuralNetwork;

/**
 * A checkpoint read back: the network (parameters, updater state, counters) and the state to continue from.
 *
 * @param uri     where it was read from
 * @param network a MultiLayerNetwork or ComputationGraph
 */
public record Checkpoint(String uri, NeuralNetwork network, CheckpointState state) {
}
