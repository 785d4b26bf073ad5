package org.sparkprop.job.promote;

import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;

/** The data's classes moved from the last run's: the run stopped before Spark trained (exit code 1). */
public final class DataShiftException extends SparkPropException {
    public DataShiftException(String message) {
        super(message, ExitCodes.FAILED);
    }
}
