package org.sparkprop.job.train;

/**
 * Where one barrier stage of the allreduce trainer spent its time ({@link SparkTrainer#stageTimes}): the driver's
 * wall time for the stage (the Spark job, its broadcasts and the update of the driver's network) and rank 0's own
 * parts inside it.
 *
 * @param rounds        rounds the stage trained
 * @param wallSeconds   the stage on the driver, from creating its broadcasts to holding the averaged network
 * @param setupSeconds  rank 0 from its task's start to its first mini-batch: joining the ring (the driver's rendezvous),
 *                      fetching the network's broadcast and building the replica
 * @param shareSeconds  of the setup: getting rank 0's share of the batches (a broadcast: fetch, deserialization)
 * @param joinSeconds   of the setup: joining the ring (the driver's rendezvous waits for every task to start)
 * @param fitSeconds    rank 0 training its mini-batches
 * @param dataSeconds   rank 0 waiting for its next mini-batch (loading and augmentation not hidden by prefetching)
 * @param syncSeconds   rank 0 in the syncs: sums of parameters, optimizer state and control, waits for the slowest
 *                      rank included
 * @param syncs         syncs rank 0 took part in
 */
public record StageTime(int rounds, double wallSeconds, double setupSeconds, double shareSeconds, double joinSeconds,
                        double fitSeconds, double dataSeconds, double syncSeconds, int syncs) {
}
