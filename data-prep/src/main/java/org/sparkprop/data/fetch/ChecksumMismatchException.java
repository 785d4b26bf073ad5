package org.sparkprop.data.fetch;

import java.nio.file.Path;

/** A dataset file whose content is not the published one. */
public class ChecksumMismatchException extends DatasetFetchException {
    public ChecksumMismatchException(Path file, String expected, String actual, String remedy) {
        super("checksum mismatch for " + file + ": content SHA-256 is " + actual + ", expected " + expected + "; "
                + remedy);
    }
}
