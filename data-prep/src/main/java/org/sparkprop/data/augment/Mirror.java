package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Flips left to right (for photos; wrong for digits and text, where a mirrored glyph is another glyph). */
public record Mirror() implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        int h = image.height();
        int w = image.width();
        float[] src = image.data();
        float[] out = new float[src.length];
        for (int row = 0; row < image.channels() * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = src[base + w - 1 - x];
            }
        }
        return new FloatImage(out, h, w, image.channels());
    }
}
