package org.sparkprop.data.folder;

import java.io.IOException;

/**
 * An input file could not be read: an I/O error, not bad content. It fails the task that read it, so Spark retries
 * the task, and when it persists the job fails naming the file; it never becomes bad input, which would build a copy
 * without the image and reuse it from then on.
 */
public final class UnreadableInputException extends IOException {
    public UnreadableInputException(String path, IOException cause) {
        super("Cannot read " + path + " (" + cause + "). An I/O error fails the export instead of skipping the image"
                + " (Spark retried the task; on a local master it runs once). Check that the file is readable by this"
                + " user and the file system reachable, or remove the file from the folder, then run again.", cause);
    }

    /**
     * Rethrows what a Spark job failed with: the {@link UnreadableInputException} of a task, found in the cause chain
     * (its message names the file), else {@code e} itself (Spark's SparkException is checked but undeclared, hence
     * {@code Exception}); never returns.
     */
    public static IOException rethrow(Exception e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreadableInputException u) {
                throw u;
            }
        }
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new IOException(e.getMessage(), e);
    }
}
