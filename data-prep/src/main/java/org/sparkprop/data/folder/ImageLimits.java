package org.sparkprop.data.folder;

import java.io.Serializable;

/**
 * How large an input file may be before it is read, and how many pixels an image may declare before it is decoded:
 * a 100 KB PNG can declare 50,000 x 50,000 pixels, and decoding it would allocate gigabytes and kill the executor.
 * Files over either limit become {@link BadInputReason#TOO_LARGE} bad input.
 *
 * @param maxPixels largest width x height an image may declare (data.max-image-pixels)
 * @param maxBytes  largest file read (data.max-file-bytes)
 */
public record ImageLimits(long maxPixels, long maxBytes) implements Serializable {
    /** 64 megapixels (a decoded RGB image of 192 MB) and 128 MiB per file. */
    public static final ImageLimits DEFAULT = new ImageLimits(64_000_000L, 128L << 20);

    public ImageLimits {
        if (maxPixels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("image limits must be at least 1");
        }
    }
}
