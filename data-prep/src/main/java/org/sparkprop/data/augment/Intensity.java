package org.sparkprop.data.augment;

import java.util.SplittableRandom;

/** Multiplies every value by a factor drawn uniformly from [1 - range, 1 + range] (brightness), then clamps. */
public record Intensity(double range) implements Augmentation {
    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        float factor = (float) (1 + Augmentation.symmetric(random, range));
        FloatImage out = image.copy();
        float[] data = out.data();
        for (int i = 0; i < data.length; i++) {
            data[i] *= factor;
        }
        out.clamp();
        return out;
    }
}
