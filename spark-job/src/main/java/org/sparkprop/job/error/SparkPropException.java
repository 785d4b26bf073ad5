package org.sparkprop.job.error;

/**
 * A failure this program explains in one line, with the exit code {@code bin/sparkprop} ends with
 * ({@link ExitCodes}): {@code USAGE} for a command line or configuration to change (nothing was started),
 * {@code FAILED} for a run that failed (data, I/O, divergence). The message says what, where and what to do.
 */
public class SparkPropException extends RuntimeException {

    private final int exitCode;

    public SparkPropException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public SparkPropException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
