package org.sparkprop.job;

/**
 * A failure this program explains in one line, with the exit code {@code bin/sparkprop} ends with: {@link #USAGE}
 * for a command line or configuration to change (nothing was started), {@link #FAILED} for a run that failed
 * (data, I/O, divergence). The message says what, where and what to do.
 */
public class SparkPropException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int USAGE = 2;

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
