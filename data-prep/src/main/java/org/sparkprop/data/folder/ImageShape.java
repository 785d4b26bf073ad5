package org.sparkprop.data.folder;

import java.io.Serializable;
import java.util.Locale;

/**
 * The fixed size every decoded image is brought to: height x width x channels, channels 1 (gray) or 3 (RGB).
 * Written and parsed as {@code HxWxC}, e.g. {@code 28x28x1}, {@code 224x224x3}.
 */
public record ImageShape(int height, int width, int channels) implements Serializable {
    public ImageShape {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be at least 1, got " + height + "x" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
    }

    /** Parses {@code HxWxC}. */
    public static ImageShape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1 or 224x224x3");
        }
        try {
            return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1 or 224x224x3");
        }
    }

    public int pixels() {
        return height * width;
    }

    /**
     * Copies one decoded image, height x width x channels bytes (as {@link ImageDecoder} gives them), into
     * {@code chw} at {@code offset} in channels-first order (what DL4J's convolutions take).
     */
    public void toChannelsFirst(byte[] hwc, byte[] chw, int offset) {
        int pixels = pixels();
        for (int p = 0; p < pixels; p++) {
            for (int ch = 0; ch < channels; ch++) {
                chw[offset + ch * pixels + p] = hwc[p * channels + ch];
            }
        }
    }

    /** Values per image: height x width x channels. */
    public int values() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
