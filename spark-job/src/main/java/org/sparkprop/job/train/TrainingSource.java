package org.sparkprop.job.train;

/**
 * What {@link SparkTrainer} trains on, epoch by epoch: mini-batches the driver holds and sends with each round, or
 * batch files that the workers read themselves (only paths leave the driver).
 */
public sealed interface TrainingSource {
    /** Batches held by the driver (an IDX dataset). */
    record InMemory(EpochBatches batches) implements TrainingSource {
    }

    /** Batch files on a Hadoop file system (a pre-batched copy, or featurized batches). */
    record BatchFiles(EpochBatchFiles files) implements TrainingSource {
    }
}
