package org.sparkprop.data.augment;

/**
 * One image as floats in channel-major order (channel, row, column), pixel values on the 0..255 scale: what the
 * augmentations work on, before normalization.
 */
public record FloatImage(float[] data, int height, int width, int channels) {
    public FloatImage {
        if (data.length != height * width * channels) {
            throw new IllegalArgumentException(data.length + " values for a " + height + "x" + width + "x" + channels
                    + " image");
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public FloatImage copy() {
        return new FloatImage(data.clone(), height, width, channels);
    }

    /** Clamps every value into 0..255. */
    public void clamp() {
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.max(0f, Math.min(255f, data[i]));
        }
    }
}
