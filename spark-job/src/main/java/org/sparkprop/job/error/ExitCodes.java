package org.sparkprop.job.error;

import java.io.IOException;
import org.sparkprop.data.folder.DatasetLayoutException;
import org.sparkprop.data.folder.TooMuchBadInputException;

/**
 * The exit codes {@code bin/sparkprop} ends with, and the one mapping from a failure to its code: a
 * {@link SparkPropException} carries its own; data-prep's exceptions and I/O failures are mapped here.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A run that failed: data, I/O, divergence. */
    public static final int FAILED = 1;
    /** A command line or configuration to change; nothing was started. */
    public static final int USAGE = 2;
    /**
     * Not a failure: {@code train --promote-to} trained and tested a model, which did not beat the one in service,
     * so that one stays. Lets a scheduler tell "trained, not promoted" from success (0) and failure (1, 2).
     */
    public static final int NOT_PROMOTED = 3;

    private ExitCodes() {
    }

    /**
     * How a failure ends the program.
     *
     * @param explained whether its message alone says what, where and what to do; else a stack trace follows it
     */
    public record Failure(int exitCode, boolean explained) {
    }

    public static Failure of(Throwable e) {
        if (e instanceof SparkPropException s) {
            return new Failure(s.exitCode(), true);
        }
        if (e instanceof DatasetLayoutException) { // the folder is unusable as given: change data.path
            return new Failure(USAGE, true);
        }
        if (e instanceof TooMuchBadInputException || e instanceof IOException) {
            return new Failure(FAILED, true);
        }
        return new Failure(FAILED, false);
    }
}
