package org.sparkprop.data.folder;

/** The dataset root cannot be used at all (missing, no class folders, an empty class): found before any decoding. */
public class DatasetLayoutException extends RuntimeException {
    public DatasetLayoutException(String message) {
        super(message);
    }
}
