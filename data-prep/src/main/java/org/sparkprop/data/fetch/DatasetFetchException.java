package org.sparkprop.data.fetch;

import java.io.IOException;

/** A dataset could not be fetched or located; the message says why and what to do. */
public class DatasetFetchException extends IOException {
    public DatasetFetchException(String message) {
        super(message);
    }

    public DatasetFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
