package org.sparkprop.job.checkpoint;

import java.util.List;
import java.util.Map;
import org.sparkprop.job.output.MetricsReport;
import org.sparkprop.job.train.EpochProgress;

/**
 * Everything besides the network (parameters, updater state, iteration and epoch counters, which the model zip
 * holds) that a resumed run needs to continue exactly: where to start, the run's figures so far, early-stopping
 * state, and the config the checkpoint was trained with.
 *
 * @param next             where training continues: epoch and batches of it already trained (0 at an epoch start),
 *                         with the partial epoch's sums
 * @param seed             the run's seed
 * @param configHash       SHA-256 of {@code config}
 * @param config           the result-defining config values ({@code TrainConfig#resultDefiningValues}) and workers
 * @param graph            whether the network is a ComputationGraph
 * @param epochs           the finished epochs' figures
 * @param bestEpoch        epoch of the best validation figure so far (0: none)
 * @param bestMetric       that figure
 * @param epochsWithoutImprovement epochs since the best one
 * @param elapsedSeconds   wall time of the run so far (training, evaluation, checkpoints)
 */
public record CheckpointState(EpochProgress next, long seed, String configHash, Map<String, String> config,
                              boolean graph, List<MetricsReport.Epoch> epochs, int bestEpoch, double bestMetric,
                              int epochsWithoutImprovement, double elapsedSeconds) {
}
