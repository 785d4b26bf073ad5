package org.sparkprop.data.folder;

/** More of a dataset's files were unusable than the configured threshold allows; the message names the report. */
public class TooMuchBadInputException extends RuntimeException {
    public TooMuchBadInputException(String message) {
        super(message);
    }
}
