package org.sparkprop.job.train;

/**
 * Where training stands inside an epoch, after an averaging round (or where a resumed run starts).
 *
 * @param epoch          1-based epoch being trained
 * @param batchesDone    mini-batches of this epoch already trained (the epoch's order is fixed by seed and epoch)
 * @param batchesInEpoch mini-batches in this epoch (0 when not known yet)
 * @param rounds         averaging rounds run in this epoch
 * @param lossSum        sum of those rounds' mean losses
 * @param examples       training examples consumed in this epoch
 * @param seconds        training wall time spent in this epoch
 * @param iteration      mini-batch updates per replica since the start of training
 */
public record EpochProgress(int epoch, int batchesDone, int batchesInEpoch, int rounds, double lossSum,
                            long examples, double seconds, long iteration) {
    /** The start of {@code epoch}, nothing trained in it yet. */
    public static EpochProgress startOf(int epoch) {
        return new EpochProgress(epoch, 0, 0, 0, 0, 0, 0, 0);
    }

    public boolean epochDone() {
        return batchesInEpoch > 0 && batchesDone >= batchesInEpoch;
    }

    public double imagesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
