package org.sparkprop.model;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Height x width x channels of images: what a network takes, what data-prep decodes images to, and what a dataset
 * holds. The one image-shape type of the project.
 */
public record InputShape(int height, int width, int channels) implements Serializable {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

    public InputShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input shape " + height + "x" + width + "x" + channels
                    + " must be positive in every dimension");
        }
    }

    /** Parses {@code HxWxC}, e.g. {@code 28x28x1}. */
    public static InputShape parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("input shape '" + text + "' is not of the form HxWxC, e.g. 28x28x1");
        }
        return new InputShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /**
     * Parses the size images are decoded to, {@code HEIGHTxWIDTHxCHANNELS} with 1 (gray) or 3 (RGB) channels.
     *
     * @throws IllegalArgumentException saying what is wrong, for a config or manifest value
     */
    public static InputShape parseImage(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1 or 224x224x3");
        }
        int height;
        int width;
        int channels;
        try {
            height = Integer.parseInt(parts[0]);
            width = Integer.parseInt(parts[1]);
            channels = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1 or 224x224x3");
        }
        return image(height, width, channels);
    }

    /** An image size: at least 1x1, with 1 (gray) or 3 (RGB) channels. */
    public static InputShape image(int height, int width, int channels) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be at least 1, got " + height + "x" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        }
        return new InputShape(height, width, channels);
    }

    public int pixels() {
        return height * width;
    }

    /** Values per image: height x width x channels. */
    public int values() {
        return height * width * channels;
    }

    /**
     * Copies one decoded image, height x width x channels bytes (channels last, as image decoders give them), into
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

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
