package org.sparkprop.data.folder;

import java.util.Locale;

/** Why a file of an image folder was skipped. */
public enum BadInputReason {
    /** The file has no bytes. */
    EMPTY_FILE,
    /** No PNG, JPEG, BMP or GIF reader recognises the content (a text file, an archive, ...). */
    NOT_AN_IMAGE,
    /** The format is recognised but decoding failed or was incomplete (truncated or damaged data). */
    CORRUPT_IMAGE,
    /** A colour image in a gray dataset, or an image with a channel layout the dataset cannot take. */
    UNEXPECTED_CHANNELS,
    /**
     * A folder could not be listed (permissions, I/O error). A file that cannot be read fails its task instead, so
     * Spark retries it: an I/O error says nothing about the content.
     */
    UNREADABLE,
    /** More bytes than data.max-file-bytes, or a declared size of more pixels than data.max-image-pixels. */
    TOO_LARGE,
    /** A file lying directly in the dataset root (or a split folder), outside every class folder: it has no label. */
    NO_CLASS;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
