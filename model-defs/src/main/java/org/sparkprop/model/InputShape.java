package org.sparkprop.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Height x width x channels of the images a network takes. */
public record InputShape(int height, int width, int channels) {
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

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
