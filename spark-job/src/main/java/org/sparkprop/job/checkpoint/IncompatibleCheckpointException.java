package org.sparkprop.job.checkpoint;

import org.sparkprop.job.config.ConfigException;

/** A resume whose config would not continue the checkpoint's run: refused before Spark starts (exit code 2). */
public class IncompatibleCheckpointException extends ConfigException {
    public IncompatibleCheckpointException(String message) {
        super(message);
    }
}
