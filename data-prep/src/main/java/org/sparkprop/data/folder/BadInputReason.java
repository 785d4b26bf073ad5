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
    NO_CLASS,
    /**
     * Not a plain file of the dataset: a FIFO, socket or device (reading it could block forever), a link to a folder
     * (not followed, so a link loop cannot hang the listing), or a link leading out of the dataset folder.
     */
    NOT_A_REGULAR_FILE;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
