package org.sparkprop.job.cli;

/** The command line itself is wrong (unknown command or flag, missing argument): exit code 2 with usage. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
