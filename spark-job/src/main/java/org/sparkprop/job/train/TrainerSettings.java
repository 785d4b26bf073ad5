package org.sparkprop.job.train;

/**
 * How {@link SparkTrainer} distributes training.
 *
 * @param workers            replicas trained in parallel and averaged each round
 * @param batchSizePerWorker examples per mini-batch on one worker
 * @param averagingFrequency mini-batches each worker trains between averagings (between driver checks for
 *                           shared gradients)
 * @param prefetchBatches    mini-batches a worker prepares ahead on a background thread
 * @param saveUpdater        average and keep optimizer state (momentum, Adam moments) across rounds
 * @param seed               seeds anything random in the distribution of work
 * @param method             parameter averaging or gradient sharing, with the method's own knobs
 * @param collectStats       collect DL4J's Spark timing statistics ({@link SparkTrainer#statsHtml})
 */
public record TrainerSettings(int workers, int batchSizePerWorker, int averagingFrequency, int prefetchBatches,
                              boolean saveUpdater, long seed, Method method, boolean collectStats) {
    /** The distribution method and the DL4J knobs that belong to it. */
    public sealed interface Method permits Averaging, SharedGradients {
    }

    /**
     * DL4J parameter averaging.
     *
     * @param exportRoundData DL4J's Export approach (round data written to temporary files first) instead of Direct
     * @param repartition     never, always or num-partitions-workers-differs
     * @param storageLevel    serialized Spark storage level for what DL4J caches, or NONE
     */
    public record Averaging(boolean exportRoundData, String repartition, String storageLevel) implements Method {
        public static final Averaging DEFAULT = new Averaging(false, "never", "NONE");
    }

    /**
     * DL4J gradient sharing (SharedTrainingMaster).
     *
     * @param threshold         starting threshold of the adaptive encoding
     * @param port              UDP port of the Aeron transport
     * @param controllerAddress address the workers reach the driver at
     * @param networkMask       CIDR the workers bind to, or null
     */
    public record SharedGradients(double threshold, int port, String controllerAddress, String networkMask)
            implements Method {
    }

    public TrainerSettings {
        if (workers < 1 || batchSizePerWorker < 1 || averagingFrequency < 1 || prefetchBatches < 0) {
            throw new IllegalArgumentException("workers, batch size and averaging frequency must be >= 1 and"
                    + " prefetch >= 0: " + this);
        }
    }

    /** Parameter averaging with the defaults of {@link Averaging#DEFAULT}, no statistics. */
    public TrainerSettings(int workers, int batchSizePerWorker, int averagingFrequency, int prefetchBatches,
                           boolean saveUpdater, long seed) {
        this(workers, batchSizePerWorker, averagingFrequency, prefetchBatches, saveUpdater, seed, Averaging.DEFAULT,
                false);
    }

    /** Mini-batches consumed by one averaging round over all workers. */
    public int batchesPerRound() {
        return workers * averagingFrequency;
    }
}
