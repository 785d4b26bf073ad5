package org.sparkprop.job.cli;

import org.sparkprop.job.error.ExitCodes;
import org.sparkprop.job.error.SparkPropException;

/** The command line itself is wrong (a missing or conflicting argument): exit code 2, with the command's usage. */
public class UsageException extends SparkPropException {
    public UsageException(String message) {
        super(message, ExitCodes.USAGE);
    }
}
