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
    /**
     * The distribution method and the DL4J knobs that belong to it, built by the config's trainer section from
     * {@code spark.trainer}; what differs between methods is asked of the method, never tested by name.
     */
    public sealed interface Method permits Averaging, SharedGradients, Allreduce {
        /** The {@code spark.trainer} value: {@code averaging}, {@code shared-gradients} or {@code allreduce}. */
        String id();

        /** Whether a checkpoint between two rounds of an epoch resumes exactly (not with gradient sharing). */
        boolean resumesInsideAnEpoch();

        /** For the console: how the replicas are combined. */
        String describe(int averagingFrequency);
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

        @Override
        public String id() {
            return "averaging";
        }

        @Override
        public boolean resumesInsideAnEpoch() {
            return true;
        }

        @Override
        public String describe(int averagingFrequency) {
            return "averaging every " + averagingFrequency + " batches";
        }
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
        @Override
        public String id() {
            return "shared-gradients";
        }

        @Override
        public boolean resumesInsideAnEpoch() {
            return false;
        }

        @Override
        public String describe(int averagingFrequency) {
            return "gradient sharing";
        }
    }

    /**
     * Parameter averaging without a Spark job per round: one barrier stage whose tasks keep their replica and batches
     * and average parameters and optimizer state among themselves (a ring allreduce over TCP) every
     * averagingFrequency mini-batches; the same mathematics as {@link Averaging}.
     *
     * @param timeoutSeconds longest a replica waits for a peer (rendezvous, one sync) before the stage fails
     * @param stageSeconds after about this long the stage ends at a round's end and hands the averaged network
     *                       to the driver (progress, time-based checkpoints); the next stage starts from it
     * @param retries        stage attempts after a failed one, each from the last averaged network
     */
    public record Allreduce(int timeoutSeconds, double stageSeconds, int retries) implements Method {
        public static final Allreduce DEFAULT = new Allreduce(600, 30, 2);

        public Allreduce {
            if (timeoutSeconds < 1 || !(stageSeconds > 0) || retries < 0) {
                throw new IllegalArgumentException("timeout must be >= 1 s, stage > 0 s, retries >= 0: " + timeoutSeconds
                        + ", " + stageSeconds + ", " + retries);
            }
        }

        @Override
        public String id() {
            return "allreduce";
        }

        @Override
        public boolean resumesInsideAnEpoch() {
            return true;
        }

        @Override
        public String describe(int averagingFrequency) {
            return "allreduce every " + averagingFrequency + " batches in a barrier stage";
        }
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
