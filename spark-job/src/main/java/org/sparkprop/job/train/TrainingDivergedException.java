package org.sparkprop.job.train;

/** The training loss became NaN or infinite: the run stops at once and nothing of it is saved. */
public class TrainingDivergedException extends RuntimeException {
    private final int epoch;

    public TrainingDivergedException(int epoch, int round, long iteration, double loss) {
        super("Training diverged in epoch " + epoch + ", averaging round " + round + " (iteration " + iteration
                + "): the loss is " + loss + ". Nothing was saved. Lower optimizer.learning-rate (e.g. by 10x), or check the"
                + " input scaling of your data.");
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }
}
