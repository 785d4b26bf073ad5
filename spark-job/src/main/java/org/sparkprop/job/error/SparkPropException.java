package org.sparkprop.job.error;

/**
 * A failure this program explains in one line, with the exit code {@code bin/sparkprop} ends with: {@link #USAGE}
 * for a command line or configuration to change (nothing was started), {@link #FAILED} for a run that failed
 * (data, I/O, divergence); {@link #NOT_PROMOTED} is no failure but a run whose model stayed out of service. The message says what, where and what to do.
 */
public class SparkPropException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /**
     * Not a failure: {@code train --promote-to} trained and tested a model, which did not beat the one in service,
     * so that one stays. Lets a scheduler tell "trained, not promoted" from success (0) and failure (1, 2).
     */
    public static final int NOT_PROMOTED = 3;

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
