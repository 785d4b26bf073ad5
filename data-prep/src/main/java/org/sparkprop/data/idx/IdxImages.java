package org.sparkprop.data.idx;

/**
 * Images from an IDX3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major, one after another.
 * The array is shared, not copied: treat it as read-only.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels holds " + pixels.length + " bytes, expected " + count + " x "
                    + rows + " x " + cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Unsigned value (0..255) of pixel {@code p} of image {@code i}. */
    public int pixel(int i, int p) {
        return pixels[i * pixelsPerImage() + p] & 0xFF;
    }
}
