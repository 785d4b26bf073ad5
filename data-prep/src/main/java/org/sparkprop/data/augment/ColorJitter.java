package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/**
 * Multiplies each channel by its own factor drawn uniformly from [1 - range, 1 + range] (shifts the colour
 * balance; on a gray image it is a brightness change), then clamps.
 */
public record ColorJitter(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        FloatImage out = image.copy();
        float[] data = out.data();
        int plane = image.height() * image.width();
        for (int c = 0; c < image.channels(); c++) {
            float factor = (float) (1 + Augmentation.symmetric(random, range));
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                data[i] *= factor;
            }
        }
        out.clamp();
        return out;
    }
}
