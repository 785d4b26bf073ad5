package org.sparkprop.data.folder;

import java.io.Serializable;

/** One skipped file or folder: where, why, and the decoder's or file system's own words. */
public record BadInput(String path, BadInputReason reason, String detail) implements Serializable {
}
