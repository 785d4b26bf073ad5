package org.sparkprop.job.train;

import java.util.Locale;
import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;

/**
 * The training loss or a parameter became NaN or infinite: the run stops within the averaging round where it
 * happened. Nothing of the diverged state is saved; the last good checkpoint (if any) is kept and named.
 */
public class TrainingDivergedException extends SparkPropException {
    private final int epoch;
    private final int round;
    private final long iteration;
    private final double loss;

    public TrainingDivergedException(int epoch, int round, long iteration, double loss) {
        this(epoch, round, iteration, loss, null, 0);
    }

    private TrainingDivergedException(int epoch, int round, long iteration, double loss, String lastCheckpoint,
                                      int lastCheckpointEpoch) {
        super(String.format(Locale.ROOT, "Training diverged in epoch %d, averaging round %d (iteration %d): the"
                        + " loss is %s%s. %s Lower optimizer.learning-rate (e.g. 10x), add"
                        + " optimizer.warmup-iterations, or check the input scaling (data.normalization), then train"
                        + " again with --overwrite.", epoch, round, iteration, loss,
                Double.isFinite(loss) ? " but a parameter is not finite" : "",
                lastCheckpoint == null ? "No checkpoint was written before it; nothing was saved."
                        : "The last good checkpoint, " + lastCheckpoint + " (after epoch " + lastCheckpointEpoch
                        + "), is kept; nothing else was saved."), ExitCodes.FAILED);
        this.epoch = epoch;
        this.round = round;
        this.iteration = iteration;
        this.loss = loss;
    }

    /** The same failure, naming the last good checkpoint (null: none was written). */
    public TrainingDivergedException withLastCheckpoint(String uri, int afterEpoch) {
        return new TrainingDivergedException(epoch, round, iteration, loss, uri, afterEpoch);
    }

    public int epoch() {
        return epoch;
    }

    public long iteration() {
        return iteration;
    }
}
