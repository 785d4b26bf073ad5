package org.sparkprop.job.checkpoint;

import java.io.IOException;
import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;
import org.sparkprop.job.config.CheckpointSection;

/** A checkpoint could not be written: training stops rather than run on unprotected. */
public final class CheckpointWriteException extends SparkPropException {
    public CheckpointWriteException(String dir, IOException cause) {
        super("Cannot write a checkpoint to " + dir + " (" + cause.getMessage() + "). Check that "
                + CheckpointSection.DIR + " is writable and has space, or set " + CheckpointSection.EVERY_EPOCHS
                + " = 0 and " + CheckpointSection.EVERY_MINUTES + " = 0 to train without checkpoints.",
                ExitCodes.FAILED, cause);
    }
}
