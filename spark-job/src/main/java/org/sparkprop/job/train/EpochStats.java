package org.sparkprop.job.train;

/**
 * What one epoch of distributed training did.
 *
 * @param epoch        1-based
 * @param meanLoss     mean over the epoch's averaging rounds of the workers' mean training loss
 * @param examples     training examples consumed
 * @param trainSeconds wall time of the training rounds (evaluation not included)
 * @param rounds       parameter-averaging rounds run
 */
public record EpochStats(int epoch, double meanLoss, long examples, double trainSeconds, int rounds) {
    public double imagesPerSecond() {
        return trainSeconds > 0 ? examples / trainSeconds : 0;
    }
}
