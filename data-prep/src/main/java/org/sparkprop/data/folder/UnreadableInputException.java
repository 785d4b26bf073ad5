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
}
