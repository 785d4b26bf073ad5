package org.sparkprop.job.train;

/**
 * How {@link SparkTrainer} distributes training.
 *
 * @param workers            replicas trained in parallel and averaged each round
 * @param batchSizePerWorker examples per mini-batch on one worker
 * @param averagingFrequency mini-batches each worker trains between averagings
 * @param prefetchBatches    mini-batches a worker prepares ahead on a background thread
 * @param saveUpdater        average and keep optimizer state (momentum, Adam moments) across rounds
 * @param seed               seeds anything random in the distribution of work
 */
public record TrainerSettings(int workers, int batchSizePerWorker, int averagingFrequency, int prefetchBatches,
                              boolean saveUpdater, long seed) {
    public TrainerSettings {
        if (workers < 1 || batchSizePerWorker < 1 || averagingFrequency < 1 || prefetchBatches < 0) {
            throw new IllegalArgumentException("workers, batch size and averaging frequency must be >= 1 and"
                    + " prefetch >= 0: " + this);
        }
    }

    /** Mini-batches consumed by one averaging round over all workers. */
    public int batchesPerRound() {
        return workers * averagingFrequency;
    }
}
